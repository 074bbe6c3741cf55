"""Billing behind one small interface: the manual provider (operators grant memberships) by
default, Stripe when configured. ``apply_event`` applies a provider's event to the member's
membership once, whatever the order of delivery."""

from newsstand.usecases.billing.apply import apply_event
from newsstand.usecases.billing.provider import BillingProvider, Checkout, ProviderEvent

__all__ = ["BillingProvider", "Checkout", "ProviderEvent", "apply_event"]
