#!/usr/bin/env python3
"""The i18n catalogue's source: every text in English and Korean side by side.

Edit this file, then run `python3 Scripts/catalogue.py` to write
Sources/CadetApp/Resources/i18n/{en,ko}.json. Keeping both languages on one line makes a
missing translation visible in review; a test also checks that the two files have the same keys.
"""
import json
import os

T = {
    # Navigation and chrome
    "nav.label": ("Main", "주 메뉴"),
    "nav.home": ("Home", "홈"),
    "nav.programmes": ("Programmes", "과정"),
    "nav.people": ("People", "사람"),
    "nav.audit": ("Audit log", "감사 기록"),
    "nav.outbox": ("Outbox", "발신함"),
    "nav.account": ("My account", "내 계정"),
    "nav.sign_in": ("Sign in", "로그인"),
    "nav.sign_up": ("Create an account", "회원가입"),
    "nav.sign_out": ("Sign out", "로그아웃"),
    "language.ko": ("한국어", "한국어"),
    "language.en": ("English", "English"),
    "footer.text": ("Cadet: one system for an AI academy, from recruitment to the funder's report.", "Cadet: 모집부터 성과 보고까지, AI 아카데미를 위한 하나의 시스템."),
    "pager.previous": ("Previous", "이전"),
    "pager.next": ("Next", "다음"),
    "pager.page": ("Page {number}", "{number}쪽"),
    "form.save": ("Save", "저장"),
    "form.remove": ("Remove", "삭제"),
    "hint.slug": ("Lowercase letters, digits and hyphens, up to 40; used in addresses and cannot change later.", "영문 소문자, 숫자, 하이픈으로 40자 이내. 주소에 쓰이며 나중에 바꿀 수 없습니다."),

    # Home
    "home.title": ("Cadet", "Cadet"),
    "home.intro": ("Cadet runs a cohort-based AI academy end to end: recruitment and selection, training hours, projects, completion, subsidies, placement and the funder's report.",
                   "Cadet은 기수제 AI 교육 과정의 모든 단계를 운영합니다: 모집과 선발, 교육시간, 프로젝트, 수료, 지원금 정산, 취업 연계, 그리고 성과 보고."),
    "home.welcome": ("Welcome, {name}", "{name}님, 환영합니다"),
    "home.your_roles": ("Your roles", "내 역할"),
    "home.no_roles": ("No roles yet. Staff grant roles for a programme or a cohort.", "아직 역할이 없습니다. 운영진이 과정이나 기수 단위로 역할을 부여합니다."),

    # Accounts
    "signin.title": ("Sign in", "로그인"),
    "signin.submit": ("Sign in", "로그인"),
    "signin.forgot": ("Forgot your password?", "비밀번호를 잊으셨나요?"),
    "signin.no_account": ("Create an account", "회원가입"),
    "signup.title": ("Create an account", "회원가입"),
    "signup.submit": ("Create account", "가입하기"),
    "signup.password_hint": ("At least 10 characters. A few words make a good password.", "10자 이상. 여러 단어를 이어 쓰면 좋은 비밀번호가 됩니다."),
    "forgot.title": ("Reset your password", "비밀번호 재설정"),
    "forgot.intro": ("Enter your e-mail address and we will send you a link to set a new password.", "이메일 주소를 입력하면 새 비밀번호를 설정할 수 있는 링크를 보내드립니다."),
    "forgot.submit": ("Send the link", "링크 보내기"),
    "forgot.sent": ("If an account uses that address, a link to reset its password is on its way. The link works once, for one hour.", "해당 주소로 가입된 계정이 있다면 비밀번호 재설정 링크를 보냈습니다. 링크는 한 번, 1시간 동안만 쓸 수 있습니다."),
    "reset.title": ("Choose a new password", "새 비밀번호 설정"),
    "reset.submit": ("Set the password", "비밀번호 설정"),
    "account.title": ("My account", "내 계정"),
    "account.change_password": ("Change your password", "비밀번호 변경"),
    "account.save_password": ("Change password", "비밀번호 변경"),
    "account.error.invalid_credentials": ("That e-mail and password do not match an account.", "이메일 또는 비밀번호가 올바르지 않습니다."),
    "account.error.throttled": ("Too many failed sign-ins. Try again in {minutes} minutes.", "로그인 실패가 너무 많습니다. {minutes}분 후에 다시 시도하세요."),
    "account.error.reset_link_invalid": ("This link has expired or has already been used. Ask for a new one.", "이 링크는 만료되었거나 이미 사용되었습니다. 새 링크를 요청하세요."),
    "account.error.wrong_current_password": ("Your current password is not right.", "현재 비밀번호가 올바르지 않습니다."),
    "mail.reset.subject": ("Reset your Cadet password", "Cadet 비밀번호 재설정"),
    "mail.reset.body": ("Hello {name},\n\nSomeone (we hope you) asked to reset the password of your Cadet account. Open this link to choose a new one:\n\n{link}\n\nThe link works once and expires in {hours} hour(s). If you did not ask, ignore this message: your password stays as it is.",
                        "{name}님, 안녕하세요.\n\nCadet 계정의 비밀번호 재설정 요청이 있었습니다. 아래 링크에서 새 비밀번호를 정하세요.\n\n{link}\n\n링크는 한 번만 쓸 수 있으며 {hours}시간 후 만료됩니다. 요청하지 않으셨다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다."),
    "mail.invitation.subject": ("You have a Cadet account", "Cadet 계정이 만들어졌습니다"),
    "mail.invitation.body": ("Hello {name},\n\nStaff of your academy have added you to Cadet. Open this link to choose your password and sign in:\n\n{link}\n\nThe link works once and expires in {hours} hours.",
                             "{name}님, 안녕하세요.\n\n교육기관 운영진이 Cadet에 계정을 만들었습니다. 아래 링크에서 비밀번호를 정하고 로그인하세요.\n\n{link}\n\n링크는 한 번만 쓸 수 있으며 {hours}시간 후 만료됩니다."),

    # Notices after a redirect
    "notice.saved": ("Saved.", "저장했습니다."),
    "notice.welcome": ("Your account is ready.", "계정이 만들어졌습니다."),
    "notice.signed_out": ("You have signed out.", "로그아웃했습니다."),
    "notice.password_reset": ("Your password is set. Sign in with it now.", "비밀번호를 설정했습니다. 이제 로그인하세요."),
    "notice.password_changed": ("Your password is changed. Other browsers have been signed out.", "비밀번호를 변경했습니다. 다른 브라우저는 로그아웃되었습니다."),
    "notice.person_added": ("Added. They have been sent a link to set their password.", "추가했습니다. 비밀번호 설정 링크를 보냈습니다."),

    # Errors
    "error.title": ("Something is not right", "문제가 있습니다"),
    "error.home": ("Back to the start", "처음으로"),
    "error.not_found": ("There is nothing at this address.", "이 주소에는 아무것도 없습니다."),
    "error.bad_request": ("The request could not be understood: {detail}.", "요청을 이해할 수 없습니다: {detail}."),
    "error.csrf": ("This form has expired or did not come from Cadet. Reload the page and try again.", "양식이 만료되었거나 Cadet에서 보낸 것이 아닙니다. 페이지를 새로 고친 후 다시 시도하세요."),
    "error.unavailable": ("Cadet cannot reach its database just now. Try again in a moment.", "지금은 데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도하세요."),
    "error.sign_in_required": ("Sign in to see this page.", "이 페이지를 보려면 로그인하세요."),
    "error.forbidden": ("You do not have a role that allows this.", "이 작업을 할 수 있는 역할이 없습니다."),
    "error.validation": ("Some fields need attention.", "확인이 필요한 항목이 있습니다."),
    "error.internal": ("Something went wrong on our side. It has been logged.", "서버에서 문제가 생겼습니다. 기록되었습니다."),
    "error.too_large": ("What you sent is too large.", "보낸 내용이 너무 큽니다."),
    "error.method_not_allowed": ("This address does not accept that kind of request.", "이 주소는 그런 요청을 받지 않습니다."),
    "directory.error.programme_not_found": ("There is no such programme.", "그런 과정이 없습니다."),
    "directory.error.cohort_not_found": ("There is no such cohort.", "그런 기수가 없습니다."),
    "directory.error.class_not_found": ("There is no such class.", "그런 반이 없습니다."),
    "directory.error.person_not_found": ("There is no such person.", "그런 사람이 없습니다."),
    "directory.error.unknown_person": ("No account uses that e-mail address.", "그 이메일 주소를 쓰는 계정이 없습니다."),

    # Fields
    "field.name": ("Name", "이름"),
    "field.email": ("E-mail", "이메일"),
    "field.password": ("Password", "비밀번호"),
    "field.password_confirm": ("Password again", "비밀번호 확인"),
    "field.current_password": ("Current password", "현재 비밀번호"),
    "field.slug": ("Short name (slug)", "짧은 이름(슬러그)"),
    "field.description": ("Description", "설명"),
    "field.capacity": ("Capacity", "정원"),
    "field.starts_on": ("Starts on", "시작일"),
    "field.ends_on": ("Ends on", "종료일"),
    "field.target_hours": ("Training hours", "교육시간"),
    "field.hours": ("Hours", "시간"),
    "field.instructor_email": ("Instructor's e-mail", "전담강사 이메일"),
    "field.assistant_email": ("Teaching assistant's e-mail", "조교 이메일"),
    "field.role": ("Role", "역할"),
    "field.scope": ("Where", "범위"),

    # Field problems
    "issue.required": ("{field}: this is required.", "{field}: 필수 항목입니다."),
    "issue.too_short": ("{field}: at least {minimum} characters.", "{field}: {minimum}자 이상 입력하세요."),
    "issue.too_long": ("{field}: at most {maximum} characters.", "{field}: {maximum}자 이하로 입력하세요."),
    "issue.not_a_number": ("{field}: enter a whole number.", "{field}: 정수를 입력하세요."),
    "issue.out_of_range": ("{field}: enter a number from {minimum} to {maximum}.", "{field}: {minimum}에서 {maximum} 사이의 수를 입력하세요."),
    "issue.invalid_date": ("{field}: enter a date as YYYY-MM-DD.", "{field}: 날짜를 YYYY-MM-DD 형식으로 입력하세요."),
    "issue.must_not_precede": ("{field}: must not be before {other}.", "{field}: {other}보다 앞설 수 없습니다."),
    "issue.already_taken": ("{field}: this is already in use.", "{field}: 이미 사용 중입니다."),
    "issue.unknown_choice": ("{field}: choose one of the options; nothing matches this value.", "{field}: 목록에서 고르세요. 일치하는 항목이 없습니다."),
    "issue.no_account": ("{field}: no account uses this e-mail address. Add the person first.", "{field}: 이 이메일 주소를 쓰는 계정이 없습니다. 먼저 사람을 추가하세요."),
    "issue.ineligible": ("{field}: this programme requires \"yes\" here, so the application cannot be submitted.", "{field}: 이 항목에 \"예\"여야 지원할 수 있습니다."),
    "issue.closed": ("{field}: applications have closed; this can no longer change.", "{field}: 접수가 마감되어 더 이상 바꿀 수 없습니다."),
    "issue.mismatch": ("{field}: must match {other}.", "{field}: {other}와(과) 같아야 합니다."),
    "issue.invalid_format.slug": ("{field}: use lowercase letters, digits and single hyphens, not at the ends.", "{field}: 영문 소문자, 숫자, 하이픈만 쓸 수 있으며 하이픈은 처음과 끝에 올 수 없습니다."),
    "issue.invalid_format.email": ("{field}: this is not an e-mail address.", "{field}: 올바른 이메일 주소가 아닙니다."),
    "issue.invalid_format.instructor_email": ("{field}: this is not an e-mail address.", "{field}: 올바른 이메일 주소가 아닙니다."),
    "issue.invalid_format.assistant_email": ("{field}: this is not an e-mail address.", "{field}: 올바른 이메일 주소가 아닙니다."),

    # Roles and scopes
    "role.operator": ("Operator", "운영 관리자"),
    "role.programme_staff": ("Programme staff", "과정 운영진"),
    "role.instructor": ("Instructor", "전담강사"),
    "role.teaching_assistant": ("Teaching assistant", "조교"),
    "role.mentor": ("Mentor", "멘토"),
    "role.committee_member": ("Selection committee member", "선정위원"),
    "role.company_contact": ("Company contact", "기업 담당자"),
    "role.trainee": ("Applicant / trainee", "지원자·교육생"),
    "scope.academy": ("The whole academy", "기관 전체"),

    # Programmes and cohorts
    "programmes.title": ("Programmes", "과정"),
    "programmes.new": ("New programme", "새 과정"),
    "programmes.edit": ("Edit programme", "과정 수정"),
    "programmes.none": ("No programmes to show.", "표시할 과정이 없습니다."),
    "programmes.cohorts": ("Cohorts", "기수"),
    "programmes.cohort_count": ("{count} cohorts", "{count}개 기수"),
    "cohorts.new": ("New cohort", "새 기수"),
    "cohorts.edit": ("Edit cohort", "기수 수정"),
    "cohorts.none": ("No cohorts yet.", "아직 기수가 없습니다."),
    "cohorts.period": ("Period", "교육기간"),
    "cohorts.places": ("{count} places", "{count}명"),
    "cohorts.hours": ("{count} hours", "{count}시간"),
    "cohorts.planned": ("Planned in phases", "단계별 계획"),
    "cohorts.weekday_hours": ("Weekday hours in the period (8 h a day)", "기간 내 평일 시간(하루 8시간)"),
    "cohorts.balance.over": ("{hours} hours more than the target", "목표보다 {hours}시간 많음"),
    "cohorts.balance.under": ("{hours} hours short of the target", "목표보다 {hours}시간 부족"),
    "cohorts.phases": ("Curriculum phases", "교육 단계"),
    "cohorts.no_phases": ("No phases yet.", "아직 교육 단계가 없습니다."),
    "cohorts.add_phase": ("Add phase", "단계 추가"),
    "cohorts.classes": ("Classes", "반"),
    "cohorts.no_classes": ("No classes yet.", "아직 반이 없습니다."),
    "cohorts.staff": ("Staff and roles", "운영진과 역할"),
    "classes.new": ("New class", "새 반"),
    "classes.create": ("Create class", "반 만들기"),
    "classes.edit": ("Edit class", "반 수정"),
    "classes.trainees": ("Trainees", "교육생"),
    "classes.no_trainees": ("No trainees in this class yet.", "이 반에 아직 교육생이 없습니다."),
    "classes.add_trainee": ("Add trainee", "교육생 추가"),

    # People
    "people.title": ("People", "사람"),
    "people.new": ("Add a person", "사람 추가"),
    "people.new_intro": ("Add someone who has no account yet. They get a link to set their password.", "아직 계정이 없는 사람을 추가합니다. 비밀번호 설정 링크가 전달됩니다."),
    "people.add": ("Add", "추가"),
    "people.none": ("Nobody to show.", "표시할 사람이 없습니다."),
    "people.search": ("Name or e-mail", "이름 또는 이메일"),
    "people.search_submit": ("Search", "검색"),
    "people.roles": ("Roles", "역할"),
    "people.grant": ("Grant a role", "역할 부여"),
    "people.grant_submit": ("Grant", "부여"),
    "people.revoke": ("Revoke", "회수"),

    # Audit
    "audit.title": ("Audit log", "감사 기록"),
    "audit.when": ("When", "시각"),
    "audit.actor": ("Who", "누가"),
    "audit.action": ("Action", "작업"),
    "audit.entity": ("Record type", "대상 종류"),
    "audit.what": ("What", "대상"),
    "audit.before": ("Before", "변경 전"),
    "audit.after": ("After", "변경 후"),
    "audit.programme": ("Programme", "과정"),
    "audit.all": ("All", "전체"),
    "audit.from": ("From", "시작"),
    "audit.to": ("To", "끝"),
    "audit.filter": ("Filter", "걸러 보기"),
    "audit.none": ("No changes match.", "일치하는 변경이 없습니다."),

    # Outbox
    "outbox.title": ("Outbox", "발신함"),
    "outbox.none": ("No messages.", "메시지가 없습니다."),
    "outbox.smtp_on": ("Messages are sent by e-mail and kept here.", "메시지는 이메일로 발송되고 여기에 보관됩니다."),
    "outbox.smtp_off": ("E-mail is not configured: messages are kept here for staff to pass on.", "이메일이 설정되지 않았습니다. 메시지는 여기에 보관되며 운영진이 전달합니다."),
    "outbox.sent": ("sent {at}", "{at} 발송"),
    "outbox.failed": ("not sent yet: {error}", "아직 발송되지 않음: {error}"),
    "outbox.queued": ("waiting to be sent", "발송 대기"),
    "outbox.kept": ("kept here", "보관 중"),
}

def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "CadetApp", "Resources", "i18n")
    os.makedirs(root, exist_ok=True)
    for index, lang in enumerate(("en", "ko")):
        data = {key: pair[index] for key, pair in sorted(T.items())}
        with open(os.path.join(root, lang + ".json"), "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")

if __name__ == "__main__":
    main()
