"""Intake fixtures: one PostgreSQL server per test session, a fresh database per test that asks."""

from __future__ import annotations

import pytest

from tests.intake.pg import new_database, pg_server


@pytest.fixture(scope="session")
def pg_server_url():
    with pg_server() as url:
        yield url


@pytest.fixture(scope="module")
def pg_url(pg_server_url):
    return new_database(pg_server_url)


@pytest.fixture
def pg_db(pg_server_url):
    return new_database(pg_server_url)
