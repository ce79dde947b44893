#!/usr/bin/env python3
"""Browser check of a training day: the instructor puts the check-in code on the room's screen;
a trainee, on a phone-sized browser, scans it (the check decodes a screenshot of the screen with
zbar, as a phone's camera would) and checks in; the instructor corrects the status on the roster
with a reason; the trainee sees the change on their hours page. Runs in headless Chromium
against `cadet demo` with a session today made by `cadet session add` (Scripts/browser-check.sh)."""
import os
import subprocess
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from cohort_page_check import ARTIFACTS, BASE, browser, run, wait_for_text as wait_text
from recruitment_flow_check import sign_in

COHORT = "/programmes/gwangju-ai/cohorts/c2"
INSTRUCTOR = "g2.instructor1@cadet.example"
TRAINEE = "g2.t001@cadet.example"


def todays_session(driver):
    """The roster of the check's session of class 1 (today's), found on the cohort's timetable."""
    # Next month's, when the check's session is at the coming midnight (Scripts/browser-check.sh).
    driver.get(BASE + COHORT + "/calendar?month=" + os.environ.get("CADET_CHECK_SESSION_MONTH", ""))
    links = driver.find_elements(By.CSS_SELECTOR, "table.calendar a[href*='/sessions/']")
    assert links, "no session on the timetable this month"
    return links[-1].get_attribute("href")


def scan(driver, roster):
    """Shows the room's code and reads the QR code from a screenshot, as a phone camera would."""
    driver.get(roster + "/display")
    qr = driver.find_element(By.CSS_SELECTOR, ".qr-box svg")
    path = os.path.join(ARTIFACTS, "training-display.png")
    qr.screenshot(path)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", path], capture_output=True, text=True)
    assert decoded.returncode == 0, "zbar could not read the QR code: %s" % decoded.stderr
    link = decoded.stdout.strip()
    assert "/checkin/" in link and "?t=" in link, link
    # The link names Cadet's public address; the check's server listens elsewhere.
    return BASE + link[link.index("/checkin/"):]


def check(driver):
    sign_in(driver, INSTRUCTOR)
    roster = todays_session(driver)
    link = scan(driver, roster)

    phone = browser("en-US")
    try:
        phone.set_window_size(390, 844)
        sign_in(phone, TRAINEE)
        phone.get(link)
        WebDriverWait(phone, 10).until(lambda d: d.find_elements(By.ID, "confirm"))
        phone.find_element(By.CSS_SELECTOR, "#confirm button").click()
        wait_text(phone, "You are checked in.")
        phone.save_screenshot(os.path.join(ARTIFACTS, "training-phone-checked-in.png"))

        # The instructor sees it on the roster and corrects it, with a reason.
        driver.get(roster)
        row = driver.find_element(By.CSS_SELECTOR, "tr[data-trainee='%s']" % TRAINEE)
        assert "Present" in Select(row.find_element(By.TAG_NAME, "select")).first_selected_option.text
        Select(row.find_element(By.TAG_NAME, "select")).select_by_value("late")
        driver.find_element(By.NAME, "reason").send_keys("Arrived after the check-in, at 09:40")
        driver.find_element(By.CSS_SELECTOR, "#roster button[type=submit]").click()
        wait_text(driver, "Attendance saved.")

        phone.get(BASE + "/training")
        wait_text(phone, "My hours")
        recent = phone.find_element(By.ID, "recent").text
        assert "Late" in recent, recent
        phone.save_screenshot(os.path.join(ARTIFACTS, "training-phone-hours.png"))
    finally:
        phone.quit()


if __name__ == "__main__":
    sys.exit(run(check, "training", language="en-US"))
