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


def test_demo_scale_records_what_it_planted(db, settings, tmp_path, monkeypatch):
    import csv

    from jixiao.cli import main

    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("JIXIAO_DEMO_PASSWORD", "a-demo-password")
    assert main(["demo", "--scale", "400", "--seed", "7"]) == 0
    (path,) = tmp_path.glob("模拟数据埋入的异常_种子7.csv")
    with path.open(encoding="utf-8-sig") as rows:
        recorded = list(csv.reader(rows))[1:]
    assert recorded
    labels = {"目标明显宽松于同类": "lenient", "单位成本为同类中位数的数倍": "costly"}
    assert {(labels[k], int(n), name) for k, n, name in recorded} == planted_truth(Province(forms=400, seed=7))
