#!/usr/bin/env python3
"""Browser check of careers and the funder's report: Gwangju's staff follow the programme's
link to the report and read the published figures of cohort 1 in English, then in Korean; the
PDF is downloaded with the same session, rendered to PNG (pdftoppm) for a person to look at,
and its text checked; on cohort 1's outcomes page one graduate's outcome is corrected. The demo
trainee applies to a partner's posting on the Jobs page and books a slot on the recruit day, and
staff find them in the posting's pipeline among Gwangju's 28 partner companies.
Runs in headless Chromium against `cadet demo` (Scripts/browser-check.sh)."""
import os
import subprocess
import sys
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from cohort_page_check import ARTIFACTS, BASE, browser, run, wait_for_text as wait_text
from recruitment_flow_check import sign_in

PROGRAMME = "/programmes/gwangju-ai"


def figure(driver, key):
    """The report table's cells for one figure (cohorts 1, 2 and 5, then the total)."""
    row = driver.find_element(By.CSS_SELECTOR, "#funder-report tr[data-figure='%s']" % key)
    return [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]


def check(driver):
    sign_in(driver, "staff.gwangju@cadet.example")
    driver.get(BASE + PROGRAMME)
    driver.find_element(By.CSS_SELECTOR, "#programme-links a[href$='/report']").click()
    wait_text(driver, "Funder's report")
    assert figure(driver, "applicants")[:3] == ["1,045", "609", "712"], figure(driver, "applicants")
    assert figure(driver, "competition_ratio")[0] == "5.81 : 1"
    assert figure(driver, "completers")[0] == "155 (86.1%)", figure(driver, "completers")
    assert figure(driver, "placed")[0] == "130 (83.9%)", figure(driver, "placed")
    assert figure(driver, "admitted_local")[:2] == ["97 (53.9%)", "129 (71.7%)"], figure(driver, "admitted_local")
    assert figure(driver, "applicants_home")[2] == "491" and figure(driver, "applicants_capital")[2] == "105"
    assert len(driver.find_elements(By.CSS_SELECTOR, "main svg.chart")) >= 6, "the report draws its charts"
    driver.save_screenshot(os.path.join(ARTIFACTS, "report-en.png"))

    # The same report in Korean, for one cohort.
    korean = browser("ko-KR")
    try:
        sign_in(korean, "staff.gwangju@cadet.example")
        korean.get(BASE + PROGRAMME + "/report?cohort=c1")
        wait_text(korean, "성과 보고서")
        assert figure(korean, "placed") == ["130 (83.9%)"], figure(korean, "placed")
        assert "광주광역시 출신 선발" in korean.find_element(By.TAG_NAME, "main").text
        korean.save_screenshot(os.path.join(ARTIFACTS, "report-ko.png"))
    finally:
        korean.quit()

    # The PDF, fetched with the browser's session and rendered to an image.
    link = driver.find_element(By.CSS_SELECTOR, "#exports a[href*='report.pdf']").get_attribute("href")
    cookies = "; ".join("%s=%s" % (c["name"], c["value"]) for c in driver.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(link, headers={"Cookie": cookies})) as response:
        pdf = response.read()
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    path = os.path.join(ARTIFACTS, "report.pdf")
    with open(path, "wb") as out:
        out.write(pdf)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", path, os.path.join(ARTIFACTS, "report-pdf")], check=True)
    text = subprocess.run(["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True).stdout
    for expected in ("성과 보고서", "Funder's report", "1,045", "5.81 : 1", "155 (86.1%)", "130 (83.9%)"):
        assert expected in text, "the PDF lacks %r" % expected

    # Correct one graduate's outcome on cohort 1's outcomes page.
    driver.get(BASE + PROGRAMME + "/cohorts/c1/outcomes")
    wait_text(driver, "130 of 155 graduates")
    row = driver.find_element(By.CSS_SELECTOR, "#outcomes tr[data-status='still_looking']")
    email = row.get_attribute("data-graduate")
    row.find_element(By.TAG_NAME, "a").click()
    wait_text(driver, email)
    Select(driver.find_element(By.NAME, "status")).select_by_value("employed")
    driver.find_element(By.NAME, "organisation").send_keys("빛고을소프트")
    driver.execute_script("document.getElementsByName('started_on')[0].value = '2021-07-01'")
    Select(driver.find_element(By.NAME, "employment_type")).select_by_value("full_time")
    driver.find_element(By.CSS_SELECTOR, "#outcome-form button[type=submit]").click()
    wait_text(driver, "131 of 155 graduates")
    driver.save_screenshot(os.path.join(ARTIFACTS, "outcomes.png"))

    # Hiring: the demo trainee applies to a posting; staff see it in the posting's pipeline.
    sign_in(driver, "g2.t001@cadet.example")
    driver.get(BASE + "/jobs")
    wait_text(driver, "ML engineer")
    job = [li for li in driver.find_elements(By.CSS_SELECTOR, "#jobs li") if "ML engineer" in li.text][0]
    title = job.find_element(By.TAG_NAME, "h2").text
    job.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_text(driver, "Application sent.")
    assert "Your application · Applied" in driver.find_element(By.ID, "jobs").text
    # The recruit day on the same page: book the first free slot.
    driver.find_element(By.CSS_SELECTOR, "#recruit-days a").click()
    wait_text(driver, "Book")
    driver.find_element(By.CSS_SELECTOR, "#booking tr:not([data-mine]) form button[type=submit]").click()
    wait_text(driver, "Booked: the company expects you then.")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#booking tr[data-mine='yes']")) == 1
    sign_in(driver, "staff.gwangju@cadet.example")
    driver.get(BASE + PROGRAMME + "/companies")
    wait_text(driver, "Hiring partners")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#companies tbody tr")) == 28
    driver.find_element(By.LINK_TEXT, "광주데이터랩").click()
    wait_text(driver, "Hiring agreements")
    driver.find_element(By.CSS_SELECTOR, "#postings a").click()
    row = driver.find_element(By.CSS_SELECTOR, "#pipeline tr[data-candidate='g2.t001@cadet.example']")
    assert row.get_attribute("data-stage") == "applied", title
    Select(row.find_element(By.NAME, "stage")).select_by_value("interviewing")
    row.find_element(By.NAME, "note").send_keys("첫 면접 일정 잡음")
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_text(driver, "Saved.")
    row = driver.find_element(By.CSS_SELECTOR, "#pipeline tr[data-candidate='g2.t001@cadet.example']")
    assert row.get_attribute("data-stage") == "interviewing" and "첫 면접" in row.text
    driver.save_screenshot(os.path.join(ARTIFACTS, "hiring-pipeline.png"))


if __name__ == "__main__":
    sys.exit(run(check, "report", language="en-US"))
