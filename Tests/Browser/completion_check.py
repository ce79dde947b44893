#!/usr/bin/env python3
"""Browser check of completion: staff run completion on KAIST's cohort and see every outcome
with its reasons, issue certificates (the demo issued them, so none is due twice) and re-issue
one with a reason; the trainee finds it on their certificates page; a stranger, not signed in,
opens the old serial's verify page in Korean, follows it to the new one and types a serial.
The demo's trainee who can sign in (Gwangju cohort 2) finds their certificate and credential.
Runs in headless Chromium against `cadet demo` (Scripts/browser-check.sh)."""
import os
import sys

from selenium.webdriver.common.by import By

from cohort_page_check import ARTIFACTS, BASE, browser, run, wait_for_text as wait_text
from recruitment_flow_check import sign_in

COHORT = "/programmes/kaist-mle/cohorts/c1"
TRAINEE = "g2.t001@cadet.example"


def check(driver):
    sign_in(driver, "operator@cadet.example")
    driver.get(BASE + COHORT + "/completion")
    driver.find_element(By.ID, "run-completion").click()
    wait_text(driver, "No outcome changed since the previous run.")
    rows = driver.find_elements(By.CSS_SELECTOR, "#completion tr[data-outcome='completed']")
    assert len(rows) == 25, "expected 25 completers, saw %d" % len(rows)
    assert "80.0% needed" in rows[0].text, rows[0].text

    driver.find_element(By.ID, "issue-certificates").click()
    wait_text(driver, "Every completer already holds a valid certificate.")
    line = driver.find_element(By.CSS_SELECTOR, "#certificates tr[data-status='valid']")
    old = line.get_attribute("data-serial")
    line.find_element(By.NAME, "reason").send_keys("Name corrected on request")
    line.find_element(By.XPATH, ".//button[not(@formaction)]").click()
    wait_text(driver, "Saved.")
    driver.save_screenshot(os.path.join(ARTIFACTS, "completion-staff.png"))

    stranger = browser("ko-KR")
    try:
        stranger.get(BASE + "/verify/" + old)
        wait_text(stranger, "재발급으로 대체됨")
        successor = stranger.find_element(By.CSS_SELECTOR, "#verdict a[href^='/verify/']")
        new = successor.text.strip()
        successor.click()
        wait_text(stranger, "유효")
        holder = stranger.find_element(By.ID, "holder").text
        assert holder, "the verify page names no holder"
        stranger.save_screenshot(os.path.join(ARTIFACTS, "completion-verify-ko.png"))
        stranger.get(BASE + "/verify")
        stranger.find_element(By.NAME, "serial").send_keys(new.lower())
        stranger.find_element(By.CSS_SELECTOR, "form[action='/verify'] button").click()
        wait_text(stranger, holder)
        assert stranger.current_url.endswith("/verify/" + new), stranger.current_url
    finally:
        stranger.quit()

    sign_in(driver, TRAINEE)
    driver.get(BASE + "/certificates")
    wait_text(driver, "My certificates")
    mine = driver.find_element(By.ID, "my-certificates")
    assert "Download the digital credential" in mine.text, mine.text
    driver.save_screenshot(os.path.join(ARTIFACTS, "completion-trainee.png"))


if __name__ == "__main__":
    sys.exit(run(check, "completion", language="en-US"))
