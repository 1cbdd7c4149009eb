"""跨项目对标 finds the outliers planted in a small synthetic province: recall ≥ 90 %, precision ≥ 80 %."""

import pytest

from jixiao.accounts.models import Organisation, OrganisationKind, Role
from jixiao.accounts.services import user_create_or_update
from jixiao.benchmarking.planted import planted_truth, score
from jixiao.demo.synthetic import Province, province_parts
from jixiao.tracking.bulk import reports_import_bulk

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_planted_outliers_are_found(db):
    province = Province(forms=480, seed=7, plant_share=0.12)
    truth = planted_truth(province)
    assert {kind for kind, _, _ in truth} == {"lenient", "costly"} and len(truth) >= 10
    reports_import_bulk(parts=province_parts(province, size=240), user=None, workers=1)
    finance = Organisation.objects.get_or_create(name="财政局", kind=OrganisationKind.FINANCE)[0]
    user = user_create_or_update(username="bench-finance", password="bench-password-1", role=Role.FINANCE,
                                 organisation=finance)
    scores = score(province=province, user=user)
    overall = scores["all"]
    assert overall.planted == len(truth)
    assert overall.recall >= 90 and overall.precision >= 80, scores
    assert overall.holds
