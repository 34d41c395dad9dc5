import pytest


@pytest.mark.parametrize(
    ("username", "institution", "role"),
    [
        ("abc_teller", "中国农业银行清河县城关分理处", "网点柜员/客户经理"),
        ("pbc_supervisor", "中国人民银行清河县支行", "人民银行监管员"),
    ],
)
def test_demo_user_logs_in_and_sees_institution_and_role(
    demo, login, page, username, institution, role
):
    login(username)
    assert page.locator("h1").inner_text() == "我的工作台"
    assert page.get_by_test_id("home-institution").inner_text() == institution
    assert page.get_by_test_id("home-role").inner_text() == role


def test_wrong_password_shows_chinese_error(demo, page, live_server):
    page.goto(f"{live_server.url}/login/")
    assert page.locator("h1").inner_text() == "登录"
    page.fill("#id_username", "abc_teller")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确。" in page.locator("[role=alert]").inner_text()
