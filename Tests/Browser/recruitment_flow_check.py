#!/usr/bin/env python3
"""Browser check: an applicant applies and submits, a reviewer scores, staff admit, and the
applicant sees the offer and accepts. Runs in headless Chromium against `cadet demo` with an
extra cohort made by `cadet cohort create` (see Scripts/browser-check.sh)."""
import datetime
import os
import re
import sys
import uuid
from zoneinfo import ZoneInfo

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from cohort_page_check import ARTIFACTS, BASE, run, wait_for_text as wait_text

COHORT = "/programmes/gwangju-ai/cohorts/c9"
PASSWORD = "cadet-demo-2026"


def click_when_ready(driver, xpath):
    """Clicks once the element exists on the page that has finished loading."""
    def click(d):
        try:
            d.find_element(By.XPATH, xpath).click()
            return True
        except WebDriverException:
            return False
    WebDriverWait(driver, 15).until(click)


def sign_in(driver, email, password=PASSWORD):
    driver.delete_all_cookies()
    driver.get(BASE + "/signin")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/signin" not in d.current_url)


def set_value(driver, name, value):
    field = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].value = arguments[1]", field, value)


def mailed_link(driver, email, path):
    """The link to `path` in the newest message to `email`, read from the operator's outbox (the
    demo has no SMTP server). The link names the configured public address; the check's server
    listens elsewhere, so only its path and query are kept."""
    sign_in(driver, "operator@cadet.example")
    driver.get(BASE + "/outbox")
    body = driver.find_element(By.XPATH, "//article[contains(., '%s')]//pre" % email).text
    match = re.search(re.escape(path) + r"\?token=[A-Za-z0-9_.-]+", body)
    if not match:
        raise AssertionError("no %s link in the message to %s: %s" % (path, email, body))
    driver.delete_all_cookies()
    return BASE + match.group(0)


def sign_up_and_apply(driver, name, cohort_label, birth_date):
    """A new applicant signs up, confirms their address through the mailed link, signs in,
    opens the round of the cohort whose link names `cohort_label`, fills the form and submits
    it. Returns the applicant's e-mail."""
    email = "applicant-%s@example.org" % uuid.uuid4().hex[:8]
    driver.delete_all_cookies()
    driver.get(BASE + "/signup")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.NAME, "password_confirm").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(driver, "We sent a link to")
    driver.get(mailed_link(driver, email, "/account/verify"))
    wait_text(driver, "Your e-mail address is confirmed.")
    sign_in(driver, email)
    driver.get(BASE + "/apply")
    driver.find_element(By.PARTIAL_LINK_TEXT, cohort_label).click()
    driver.find_element(By.XPATH, "//button[contains(., 'Start my application')]").click()
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "application")))
    set_value(driver, "birth_date", birth_date)
    Select(driver.find_element(By.NAME, "region")).select_by_value("Gwangju")
    Select(driver.find_element(By.NAME, "major_field")).select_by_value("computing")
    driver.find_element(By.NAME, "consent").click()
    driver.find_element(By.XPATH, "//button[contains(., 'Submit application')]").click()
    wait_text(driver, "Your application is submitted.")
    return email


def bulk(driver, action, target=None, reviewer=None, source=None):
    driver.get(BASE + COHORT + "/applicants")
    driver.find_element(By.CSS_SELECTOR, "input[name='ids[]']").click()
    Select(driver.find_element(By.NAME, "action")).select_by_value(action)
    if target:
        Select(driver.find_element(By.NAME, "target")).select_by_value(target)
    if reviewer:
        driver.find_element(By.NAME, "reviewer_email").send_keys(reviewer)
        Select(driver.find_element(By.NAME, "source")).select_by_value(source)
    driver.find_element(By.XPATH, "//button[contains(., 'Continue')]").click()
    click_when_ready(driver, "//button[contains(., 'Confirm')]")


def seoul_time(delta):
    """The time `delta` from now in Seoul, as a datetime-local field takes it."""
    return (datetime.datetime.now(ZoneInfo("Asia/Seoul")) + delta).strftime("%Y-%m-%dT%H:%M")


def open_round(driver, cohort, capacity=None):
    """An operator opens the cohort's round: opened an hour ago, closing tomorrow."""
    sign_in(driver, "operator@cadet.example")
    driver.get(BASE + cohort + "/recruitment")
    set_value(driver, "opens_at", seoul_time(datetime.timedelta(hours=-1)))
    set_value(driver, "closes_at", seoul_time(datetime.timedelta(days=1)))
    if capacity is not None:
        field = driver.find_element(By.NAME, "capacity")
        field.clear()
        field.send_keys(str(capacity))
    driver.find_element(By.XPATH, "//form[@action='%s/recruitment']//button" % cohort).click()
    wait_text(driver, "Saved.")


def check(driver):
    # Staff open a round for the new cohort, with one place.
    open_round(driver, COHORT, capacity=1)

    # An applicant signs up, finds the round and applies.
    email = sign_up_and_apply(driver, "한지원", "9기", "1999-07-14")
    application = driver.current_url.split("?")[0]
    driver.save_screenshot(os.path.join(ARTIFACTS, "recruitment-submitted.png"))

    # Staff pass the documents, send it to the committee and ask a reviewer to score it.
    sign_in(driver, "operator@cadet.example")
    bulk(driver, "move", target="documents_passed")
    wait_text(driver, "Moved")
    bulk(driver, "move", target="committee")
    wait_text(driver, "Moved")
    bulk(driver, "assign", reviewer="committee@cadet.example", source="documents")
    wait_text(driver, "Reviewer assigned.")

    # The reviewer scores it, blind.
    sign_in(driver, "committee@cadet.example")
    driver.get(BASE + "/reviews")
    driver.find_element(By.CSS_SELECTOR, "main table a").click()
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "한지원" not in main and email not in main, "the blind review shows who applied"
    driver.find_element(By.NAME, "score_documents").send_keys("85")
    driver.find_element(By.XPATH, "//button[contains(., 'Submit my scores')]").click()
    wait_text(driver, "Your scores are in.")

    # Staff enter the other scores and decide.
    sign_in(driver, "operator@cadet.example")
    driver.get(BASE + COHORT + "/applicants")
    driver.find_element(By.LINK_TEXT, "한지원").click()
    driver.find_element(By.NAME, "test_score").send_keys("80")
    driver.find_element(By.NAME, "interview_score").send_keys("90")
    driver.find_element(By.XPATH, "//form[contains(@action, '/scores')]//button").click()
    wait_text(driver, "Saved.")
    driver.get(BASE + COHORT + "/selection")
    wait_text(driver, "84.50")
    driver.find_element(By.NAME, "confirm").click()
    driver.find_element(By.XPATH, "//button[contains(., 'Admit the first places')]").click()
    wait_text(driver, "Decided")

    # The applicant sees the offer and accepts.
    sign_in(driver, email)
    driver.get(application)
    wait_text(driver, "You have been offered a place")
    driver.find_element(By.XPATH, "//button[contains(., 'Accept the place')]").click()
    wait_text(driver, "You have accepted your place.")
    stage = driver.find_element(By.CSS_SELECTOR, "[data-stage]").get_attribute("data-stage")
    assert stage == "accepted", stage
    driver.save_screenshot(os.path.join(ARTIFACTS, "recruitment-accepted.png"))


if __name__ == "__main__":
    sys.exit(run(check, "recruitment", language="en-US"))
