#!/usr/bin/env python3
"""Browser check of team projects and the showcase: the demo trainee finds their team and
teammates on Projects; Gwangju's staff read cohort 2's 39 teams and the showcase's results and
appoint the demo mentor as a judge; the mentor compares two teams on Judging and is shown the
next pair, with the teams they mentor closed to them; a visitor reads the public showcase page
with its prizes. Runs in headless Chromium against `cadet demo` (Scripts/browser-check.sh)."""
import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from cohort_page_check import ARTIFACTS, BASE, run, wait_for_text as wait_text
from recruitment_flow_check import sign_in

COHORT = "/programmes/gwangju-ai/cohorts/c2"
MENTOR = "g2.mentor1@cadet.example"


def check(driver):
    sign_in(driver, "g2.t001@cadet.example")
    driver.get(BASE + "/projects")
    wait_text(driver, "My team")
    team = driver.find_element(By.ID, "my-team").text
    assert len(team.splitlines()) >= 5, team
    assert len(driver.find_elements(By.CSS_SELECTOR, "#preferences select")) == 5

    sign_in(driver, "staff.gwangju@cadet.example")
    driver.get(BASE + COHORT)
    driver.find_element(By.CSS_SELECTOR, "a[href$='/cohorts/c2/projects']").click()
    wait_text(driver, "39 approved projects")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#teams tbody tr")) == 39
    driver.save_screenshot(os.path.join(ARTIFACTS, "projects-staff.png"))
    driver.get(BASE + COHORT + "/showcase")
    wait_text(driver, "Pairwise rank")
    results = driver.find_element(By.ID, "results").text
    assert "대상 (Grand prize)" in results, results
    choices = Select(driver.find_element(By.CSS_SELECTOR, "#add-judge select"))
    choices.select_by_visible_text([o.text for o in choices.options if MENTOR in o.text][0])
    driver.find_element(By.CSS_SELECTOR, "#add-judge button").click()
    wait_text(driver, "The judge is appointed")
    assert MENTOR in driver.find_element(By.ID, "judges").text

    sign_in(driver, MENTOR)
    driver.find_element(By.CSS_SELECTOR, "nav a[href='/judging']").click()
    wait_text(driver, "Which project is better?")
    assert "You mentor this team" in driver.find_element(By.TAG_NAME, "main").text
    left = driver.find_element(By.CSS_SELECTOR, "#pair .card h3").text
    driver.find_element(By.ID, "left-better").click()
    wait_text(driver, "Your comparison is saved")
    cards = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "#pair .card h3")]
    assert len(cards) == 2, cards
    driver.save_screenshot(os.path.join(ARTIFACTS, "judging.png"))
    assert left, "the first pair had a team"

    driver.delete_all_cookies()
    driver.get(BASE + "/showcase/gwangju-ai/c2")
    wait_text(driver, "2기 성과보고회")
    assert "대상 (Grand prize)" in driver.find_element(By.TAG_NAME, "main").text
    assert "@cadet.example" not in driver.page_source


if __name__ == "__main__":
    sys.exit(run(check, "projects", language="en-US"))
