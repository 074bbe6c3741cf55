"""The member's own pages, under /account/ (django-allauth's are under /accounts/)."""

from django.urls import path

from newsstand.web import billing
from newsstand.web.accounts import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/saved/", views.saved, name="saved"),
    path("account/saved/<int:article_id>/", views.save_article, name="save"),
    path("account/history/", views.history, name="history"),
    path("account/history/clear/", views.clear_history, name="clear_history"),
    path("account/delete/", views.delete_account, name="delete_account"),
    path("account/plans/<int:plan_id>/checkout/", billing.checkout, name="checkout"),
    path("account/billing/", billing.portal, name="billing_portal"),
    path("billing/webhook/", billing.webhook, name="billing_webhook"),
]
