"""The same voter answering twice at the same moment (two phones, a double tap): one answer is
kept, the other is told it was given already (the unique constraint settles it)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from sanzhang.conftest import needs_real_concurrency, simultaneously
from sanzhang.evaluations import services
from sanzhang.evaluations.models import Evaluation
from sanzhang.posts.models import Tenure

from .conftest import DURING, Q4


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_one_voter_twice_at_once_leaves_one_row(county, office, resident, grid_leader) -> None:
    with time_machine.travel(DURING, tick=True):
        period = services.open_period(
            office, title="2026年第四季度", starts_on=Q4[0], ends_on=Q4[1]
        )
        tenure = Tenure.objects.get(person=grid_leader.person)

        def answer(choice: str):  # type: ignore[no-untyped-def]
            def call(client: Client) -> tuple[int, str]:
                form = {"period": period.pk, "tenure": tenure.pk, "choice": choice}
                response = client.post("/evaluations/vote/", form, follow=True)
                return response.status_code, response.content.decode()

            return resident, call

        answers = simultaneously([answer("satisfied"), answer("unsatisfied"), answer("basic")])
    assert [status for status, _ in answers] == [200, 200, 200]
    assert Evaluation.objects.count() == 1
    thanked = [page for _, page in answers if "谢谢！" in page]
    refused = [page for _, page in answers if "已经评价过" in page]
    assert len(thanked) == 1 and len(refused) == 2, [p[-2000:] for _, p in answers]
