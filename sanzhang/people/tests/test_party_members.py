import datetime

import pytest
from django.test import Client

from sanzhang.conftest import County
from sanzhang.people.models import Person
from sanzhang.people.party import RegistrationError, register_party_member


def test_registering_at_a_community_and_moving_keeps_one_record(county: County):
    person = Person.objects.create(name="周党员")
    register_party_member(person, county.community, work_unit="县财政局")
    member = register_party_member(
        person, county.area, work_unit="县财政局", registered_on=datetime.date(2026, 5, 1)
    )
    assert member.community == county.area
    assert Person.objects.get(pk=person.pk).party_member == member


def test_a_party_member_cannot_register_at_a_building(county: County):
    with pytest.raises(RegistrationError):
        register_party_member(Person.objects.create(name="x"), county.building_a1, work_unit="")


def test_the_party_member_list_is_scoped(county: County, community_staff, outsider):
    register_party_member(
        Person.objects.create(name="周党员"), county.community, work_unit="县财政局"
    )
    register_party_member(Person.objects.create(name="吴党员"), county.area, work_unit="县教体局")
    client = Client()
    client.force_login(community_staff)
    body = client.get("/people/party-members/").content.decode()
    assert "周党员" in body and "吴党员" not in body
