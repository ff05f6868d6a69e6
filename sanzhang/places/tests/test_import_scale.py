"""A Guangchang-sized file (about 5,000 places) imports in a few dozen queries, not one per row."""

from sanzhang.places.importing import import_places
from sanzhang.places.models import Place, PlaceEvent
from sanzhang.places.tests.data.files import big_county_rows, csv_bytes


def test_a_county_sized_file_imports_and_reimports_in_a_bounded_number_of_queries(
    db, django_assert_max_num_queries
):
    data = csv_bytes(big_county_rows())
    with django_assert_max_num_queries(60):
        result = import_places("guangchang.csv", data)
    assert result.created == Place.objects.count() == PlaceEvent.objects.count() == 4911
    assert Place.objects.filter(is_rural=True).count() == 11 + 121 + 2178
    with django_assert_max_num_queries(30):
        assert import_places("guangchang.csv", data).unchanged == 4911
    assert PlaceEvent.objects.count() == 4911
