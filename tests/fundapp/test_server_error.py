"""A failure shows a page in the reader's language with a reference, and the log
line of the failure carries the same reference; a database that went away is
"briefly unavailable" (503), not a traceback."""

import logging
import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.fundapp.failing_urls")]


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


def test_a_bug_answers_a_page_with_a_reference_that_the_log_carries(reader, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = reader.get("/fails/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    page = response.content.decode()
    reference = response["X-Error-Reference"]
    assert re.fullmatch(r"E-[0-9A-F]{8}", reference)
    assert f'<strong data-testid="error-reference">{reference}</strong>' in page
    assert "Something went wrong" in page
    assert "Traceback" not in page and "a bug" not in page
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == f"Internal Server Error: /fails/ [{reference}]"
    assert record.exc_info[1].args == ("a bug",)


def test_the_page_speaks_the_readers_language(reader):
    response = reader.get("/fails/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    page = response.content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "出错了" in page
    assert response["X-Error-Reference"] in page


def test_each_failure_has_its_own_reference(reader):
    first = reader.get("/fails/")["X-Error-Reference"]
    second = reader.get("/fails/")["X-Error-Reference"]

    assert first != second


def test_a_database_that_went_away_is_briefly_unavailable(reader, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = reader.get("/loses-the-database/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Briefly unavailable" in page
    assert "Nothing you sent was saved" in page
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert response["X-Error-Reference"] in record.getMessage()


def test_the_page_reads_nothing_from_the_database(reader, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = reader.get("/fails/")

    assert response.status_code == 500
