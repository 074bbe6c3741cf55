import pytest
from django.core.cache import caches

from newsstand.articles.queries import article_count

pytestmark = pytest.mark.django_db


def test_the_article_count_is_read_once_a_minute(make_article, django_assert_num_queries) -> None:
    make_article()
    with django_assert_num_queries(1):
        assert article_count() == 1
    make_article()
    with django_assert_num_queries(0):
        assert article_count() == 1  # from the cache
    caches["local"].clear()
    assert article_count() == 2
