#!/usr/bin/env python3
"""Browser check of the admission test day: staff set up the test and check a question in the
sandbox; an applicant opens the test, answers, loses the connection (the check cuts it), keeps
typing, gets it back, sees "saved", closes the browser, resumes elsewhere, submits; staff see
the score. Runs in headless Chromium against `cadet demo` with an extra cohort made by
`cadet cohort create` (see Scripts/browser-check.sh)."""
import datetime
import os
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from cohort_page_check import ARTIFACTS, BASE, run, wait_for_text as wait_text
from recruitment_flow_check import click_when_ready, open_round, seoul_time, set_value, sign_in, sign_up_and_apply

COHORT = "/programmes/gwangju-ai/cohorts/c8"
EXAM = COHORT + "/exam"
DEFINITION = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "CadetApp", "Resources", "Examples", "admission-test.json"))
STATE = {}


def status_text(driver):
    return driver.find_element(By.ID, "exam-status").text


def wait_status(driver, text, seconds=20):
    WebDriverWait(driver, seconds).until(lambda d: text in status_text(d))


def type_at_end(driver, name, keys):
    area = driver.find_element(By.NAME, name)
    area.click()
    driver.execute_script("arguments[0].setSelectionRange(arguments[0].value.length, arguments[0].value.length)", area)
    area.send_keys(*keys)
    return area


def set_up(driver):
    open_round(driver, COHORT)
    driver.get(BASE + EXAM)
    set_value(driver, "window_start", seoul_time(datetime.timedelta(minutes=-5)))
    set_value(driver, "window_end", seoul_time(datetime.timedelta(hours=2)))
    for name, value in (("duration_minutes", "60"), ("late_start_minutes", "60")):
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    driver.find_element(By.XPATH, "//form[@action='%s/timing']//button" % EXAM).click()
    wait_text(driver, "Saved.")
    driver.find_element(By.NAME, "file").send_keys(DEFINITION)
    driver.find_element(By.XPATH, "//form[@action='%s/definition']//button" % EXAM).click()
    wait_text(driver, "Test content saved.")
    # "Check" runs the reference solution against every test in the sandbox.
    click_when_ready(driver, "//form[contains(@action, '/questions/c_sum/check')]//button")
    wait_text(driver, "The reference solution passes every test")
    driver.save_screenshot(os.path.join(ARTIFACTS, "exam-check.png"))


def apply(driver):
    STATE["email"] = sign_up_and_apply(driver, "박시험", "8기", "2000-03-01")

    sign_in(driver, "operator@cadet.example")
    driver.get(BASE + EXAM)
    driver.find_element(By.XPATH, "//form[@action='%s/prepare']//button" % EXAM).click()
    wait_text(driver, "Attempts prepared.")


def take(driver):
    set_up(driver)
    apply(driver)
    sign_in(driver, STATE["email"])
    driver.get(BASE + "/exams")
    driver.find_element(By.PARTIAL_LINK_TEXT, "8기").click()
    STATE["landing"] = driver.current_url
    driver.find_element(By.ID, "start-exam").click()
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "exam-form")))
    WebDriverWait(driver, 5).until(lambda d: "left" in d.find_element(By.ID, "exam-clock").text)
    # The start answered with the paper; the address bar says where the paper lives, and
    # reloading shows the paper again rather than posting the start a second time.
    assert driver.current_url == STATE["landing"] + "/take", driver.current_url
    driver.refresh()
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "exam-form")))
    WebDriverWait(driver, 5).until(lambda d: "left" in d.find_element(By.ID, "exam-clock").text)

    driver.find_element(By.NAME, "q_p_slice").send_keys("a")
    # The editor: the starter line is there; Tab indents; the program is typed after it.
    type_at_end(driver, "q_c_sum", ["print(a + b)", Keys.ENTER, Keys.TAB, "# checked"])
    code = driver.find_element(By.NAME, "q_c_sum").get_attribute("value")
    assert "print(a + b)\n    # checked" in code, repr(code)
    type_at_end(driver, "q_c_vowels", ["return sum(1 for ch in text.lower() if ch in 'aeiou')"])
    wait_status(driver, "All answers saved")

    # The samples run in the sandbox and each sample's verdict shows.
    driver.find_element(By.CSS_SELECTOR, "button.run-samples[data-question='c_sum']").click()
    WebDriverWait(driver, 30).until(lambda d: "small: Passed" in d.find_element(By.CSS_SELECTOR, "#question-c_sum .run-result").text)

    # The connection drops: the page says so, keeps what is typed, and sends it when it is back.
    driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    driver.find_element(By.NAME, "q_p_slice").send_keys("de")
    wait_status(driver, "Connection lost")
    kept = driver.execute_script("return Object.keys(JSON.parse(localStorage.getItem('cadet-exam:' + document.getElementById('exam-form').dataset.base)).pending)")
    assert "p_slice" in kept, kept
    driver.save_screenshot(os.path.join(ARTIFACTS, "exam-offline.png"))
    driver.set_network_conditions(offline=False, latency=0, download_throughput=-1, upload_throughput=-1)
    wait_status(driver, "All answers saved", seconds=30)
    driver.save_screenshot(os.path.join(ARTIFACTS, "exam-saved.png"))


def resume_and_submit(driver):
    # A new browser: signing in again is a new session, which takes the test over.
    sign_in(driver, STATE["email"])
    driver.get(STATE["landing"])
    wait_text(driver, "open in another browser")
    driver.find_element(By.ID, "resume-exam").click()
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "exam-form")))
    value = driver.find_element(By.NAME, "q_p_slice").get_attribute("value")
    assert value == "ade", repr(value)
    driver.find_element(By.ID, "submit-exam").click()
    WebDriverWait(driver, 10).until(EC.alert_is_present())
    driver.switch_to.alert.accept()
    wait_text(driver, "Your answers are submitted.")

    # Staff see the score once the code is graded: 2 for the slice, 5 and 5 for the programs.
    sign_in(driver, "operator@cadet.example")
    for _ in range(60):
        driver.get(BASE + EXAM + "/results")
        cells = driver.find_elements(By.CSS_SELECTOR, "td.total")
        if cells and cells[0].text == "12":
            break
        time.sleep(1)
    assert driver.find_elements(By.CSS_SELECTOR, "td.total")[0].text == "12", driver.find_element(By.TAG_NAME, "main").text
    driver.save_screenshot(os.path.join(ARTIFACTS, "exam-results.png"))


if __name__ == "__main__":
    status = run(take, "exam-take", language="en-US")
    if status == 0:
        status = run(resume_and_submit, "exam-resume", language="en-US")
    sys.exit(status)
