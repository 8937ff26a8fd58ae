"""Demo step "system": default dictionaries, the parameter catalogue, numbering rules and jobs (idempotent)."""

from __future__ import annotations

from danbao.system import seeds
from danbao.system.services.jobs import jobs_ensure


def seed() -> str:
    dicts = seeds.ensure_dictionaries()
    params = seeds.ensure_parameters()
    rules = seeds.ensure_numbering_rules()
    jobs = jobs_ensure()
    return f"{dicts} dictionary rows, {params} parameters, {rules} numbering rules, {jobs} jobs created"
