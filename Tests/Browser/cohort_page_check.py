#!/usr/bin/env python3
"""Browser check: headless Chromium signs in as the demo operator and opens a cohort page in
Korean and in English. Run by `make browser-check` (and CI) against a running `cadet demo --serve`.

Screenshots of every failure go to $CADET_ARTIFACTS (default ci-artifacts/).
"""
import os
import sys
import traceback

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("CADET_BASE_URL", "http://127.0.0.1:8097")
ARTIFACTS = os.environ.get("CADET_ARTIFACTS", "ci-artifacts")
COHORT = "/programmes/gwangju-ai/cohorts/c2"


def browser(language="ko-KR"):
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600", "--lang=" + language):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def wait_for_text(driver, text):
    """Waits for `text` in the page's main part, across the navigation a click causes."""
    def present(d):
        try:
            return text in d.find_element(By.TAG_NAME, "main").text
        except WebDriverException:
            return False
    WebDriverWait(driver, 15).until(present)


def check(driver):
    driver.get(BASE + COHORT)
    # Not signed in: sent to the sign-in page, which comes back to the cohort afterwards.
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.NAME, "email")))
    assert "/signin" in driver.current_url, driver.current_url
    driver.find_element(By.NAME, "email").send_keys("operator@cadet.example")
    driver.find_element(By.NAME, "password").send_keys("cadet-demo-2026")
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for_text(driver, "교육기간")
    assert driver.current_url.endswith(COHORT), driver.current_url
    main = driver.find_element(By.TAG_NAME, "main").text
    for text in ("2기 (2021)", "정원", "180명", "교육 단계", "1반", "6반", "전담강사", "조교"):
        assert text in main, "Korean page lacks %r" % text
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ko"
    driver.save_screenshot(os.path.join(ARTIFACTS, "cohort-ko.png"))

    # The language switch in the header turns the same page into English, and it sticks.
    driver.find_element(By.CSS_SELECTOR, "form.lang button").click()
    wait_for_text(driver, "Period")
    main = driver.find_element(By.TAG_NAME, "main").text
    for text in ("Capacity", "180 places", "Curriculum phases", "Instructor", "Teaching assistant"):
        assert text in main, "English page lacks %r" % text
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    driver.get(BASE + "/programmes")
    wait_for_text(driver, "Gwangju AI Academy")
    assert "Programmes" in driver.find_element(By.TAG_NAME, "h1").text
    driver.get(BASE + COHORT)
    wait_for_text(driver, "Period")
    driver.save_screenshot(os.path.join(ARTIFACTS, "cohort-en.png"))


def run(check, name, language="ko-KR"):
    """Runs one check in a fresh browser; on failure keeps a screenshot and the page's HTML."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver = browser(language)
    try:
        check(driver)
    except Exception:
        driver.save_screenshot(os.path.join(ARTIFACTS, name + "-failure.png"))
        with open(os.path.join(ARTIFACTS, name + "-failure.html"), "w", encoding="utf-8") as page:
            page.write(driver.page_source)
        traceback.print_exc()
        print("%s browser check FAILED; screenshot in %s" % (name, ARTIFACTS), file=sys.stderr)
        return 1
    finally:
        driver.quit()
    print("%s browser check passed" % name)
    return 0


if __name__ == "__main__":
    sys.exit(run(check, "cohort-page"))
