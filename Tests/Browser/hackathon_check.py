#!/usr/bin/env python3
"""Browser check of a hackathon: the demo trainee's team uploads real predictions (logistic
regression on scikit-learn's breast-cancer data) and, without reloading, watches the public board
take its score when the scorer has run; Gwangju's staff close the hackathon and reveal the private
board; the trainee finds the final ranking. Runs in headless Chromium against `cadet demo`
(Scripts/browser-check.sh)."""
import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from cohort_page_check import ARTIFACTS, BASE, run, wait_for_text as wait_text
from recruitment_flow_check import sign_in

TRAINEE = "g2.t001@cadet.example"
TEAM = "알파고 키즈"
PREDICTIONS = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "CadetApp", "Resources",
                                           "Examples", "hackathon", "logistic.csv"))


def check(driver):
    sign_in(driver, TRAINEE)
    driver.get(BASE + "/hackathons")
    driver.find_element(By.CSS_SELECTOR, "#my-hackathons a").click()
    wait_text(driver, "Your team: " + TEAM)
    page = driver.current_url
    board = driver.find_element(By.ID, "public-board").text
    assert TEAM not in board, board
    driver.find_element(By.ID, "predictions").send_keys(PREDICTIONS)
    driver.find_element(By.ID, "upload").click()
    wait_text(driver, "Predictions received")
    # The page is not reloaded: its script fetches the board every 15 seconds.
    WebDriverWait(driver, 40).until(lambda d: TEAM in d.find_element(By.ID, "public-board").text)
    row = [r for r in driver.find_elements(By.CSS_SELECTOR, "#public-board tr.mine")][0].text
    score = float(row.split()[-2])
    assert 0.9 < score <= 1.0, row
    driver.save_screenshot(os.path.join(ARTIFACTS, "hackathon-trainee.png"))

    sign_in(driver, "staff.gwangju@cadet.example")
    driver.get(BASE + "/programmes/gwangju-ai/cohorts/c2/hackathons")
    driver.find_element(By.CSS_SELECTOR, "#hackathons a").click()
    wait_text(driver, "Public leaderboard")
    driver.find_element(By.ID, "close-hackathon").click()
    wait_text(driver, "The hackathon is closed.")
    driver.find_element(By.ID, "reveal").click()
    wait_text(driver, "The final ranking is revealed to the teams.")
    assert TEAM in driver.find_element(By.ID, "private-board").text
    driver.save_screenshot(os.path.join(ARTIFACTS, "hackathon-staff.png"))

    sign_in(driver, TRAINEE)
    driver.get(page)
    wait_text(driver, "Private leaderboard")
    assert TEAM in driver.find_element(By.ID, "private-board").text
    assert driver.find_elements(By.ID, "upload") == [], "uploads are still offered after the close"


if __name__ == "__main__":
    sys.exit(run(check, "hackathon", language="en-US"))
