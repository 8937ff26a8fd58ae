"""Demo committee: the five demo committee members (committee1 … committee5) and four external
experts (expert1 has an account). No meetings: a meeting needs approvals waiting at a committee step,
which come with the project flows. Idempotent: a person already registered is left alone."""

from __future__ import annotations

from danbao.org.models import User
from danbao.review.models import CommitteeMember, Expert
from danbao.review.services import person_create
from danbao.review.setup import ensure_setup

MEMBERS = [
    # login, industry, title, organisation
    ("committee1", "风险管理", "高级经济师", "省农业融资担保有限公司"),
    ("committee2", "财务会计", "注册会计师", "省农业融资担保有限公司"),
    ("committee3", "法律", "律师", "省农业融资担保有限公司"),
    ("committee4", "农业产业", "高级农艺师", "省农业融资担保有限公司"),
    ("committee5", "金融", "高级经济师", "省农业融资担保有限公司"),
]
EXPERTS = [
    # name, login, specialty, title, organisation, phone
    ("冯博学", "expert1", "农业经济与产业链金融", "教授", "湖南农业大学经济学院", "13800000091"),
    ("蒋明远", None, "畜牧养殖与动物防疫", "研究员", "省畜牧水产事务中心", "13900000092"),
    ("罗清华", None, "财务审计与企业估值", "注册会计师", "湘江会计师事务所", "13900000093"),
    ("谢晓岚", None, "茶叶与油茶种植加工", "高级农艺师", "省农业科学院", "13900000094"),
]


def seed() -> str:
    created_setup = ensure_setup()
    members = experts = 0
    users = {u.username: u for u in User.objects.filter(username__in=[m[0] for m in MEMBERS] + ["expert1"])}
    for login, industry, title, organisation in MEMBERS:
        user = users.get(login)
        if user is None or CommitteeMember.objects.filter(user=user).exists():
            continue
        person_create(
            actor=None,
            model=CommitteeMember,
            name=user.real_name,
            user=user,
            industry=industry,
            title=title,
            organisation=organisation,
            phone=user.mobile or "",
        )
        members += 1
    for name, login, specialty, title, organisation, phone in EXPERTS:
        if Expert.objects.filter(name=name).exists():
            continue
        person_create(
            actor=None,
            model=Expert,
            name=name,
            user=users.get(login) if login else None,
            specialty=specialty,
            industry=specialty.split("与")[0],
            title=title,
            organisation=organisation,
            phone=phone,
        )
        experts += 1
    return f"{members} committee members, {experts} experts, {created_setup} parameters/numbering rules created"
