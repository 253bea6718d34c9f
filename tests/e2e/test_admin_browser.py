"""A staff treasurer works in the back office in a real browser."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from groups.access import officials_group
from groups.choices import Role
from groups.models import Membership
from tests.factories import PASSWORD, UserFactory, add_member, make_chama


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_treasurer_signs_in_with_a_phone_and_adds_a_member(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    # Given two chamas, and the treasurer of one of them with back-office access
    chama_a = make_chama(UserFactory(full_name="Amani Chair"), name="Amani Savers", code="AMA001")
    treasurer = UserFactory(phone="254712000102", full_name="Amani Treasurer", is_staff=True)
    treasurer.groups.add(officials_group())
    add_member(chama_a, role=Role.TREASURER, user=treasurer)
    make_chama(UserFactory(full_name="Baraka Chair"), name="Baraka Group", code="BAR001")

    # When the treasurer signs in with the phone as they would type it
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "0712 000 102")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_have_text("Hazina back office")

    # Then the Chamas list shows their chama and no other
    page.locator("#content-main .model-chama th a").click()
    results = page.locator("#result_list")
    expect(results).to_contain_text("Amani Savers")
    expect(results).not_to_contain_text("Baraka Group")

    # When they add a member through the Memberships add form
    page.locator("#nav-sidebar .model-membership th a").click()
    page.get_by_role("link", name="Add membership").click()
    page.select_option("#id_chama", label="Amani Savers (AMA001)")
    page.fill("#id_full_name", "Neema Mwangaza")
    page.fill("#id_phone", "0712 345 678")
    page.click("input[name=_save]")

    # Then the admin confirms it and lists the new member with the next member code
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    row = page.locator("#result_list tbody tr", has_text="Neema Mwangaza")
    expect(row).to_contain_text("M003")
    expect(row).to_contain_text("254712345678")
    expect(page.locator("#result_list")).not_to_contain_text("Baraka Group")
    screenshot = page.screenshot(path=tmp_path / "membership-added.png", full_page=True)
    assert screenshot.startswith(b"\x89PNG")

    # And the membership was made by the service, with the phone normalised
    member = Membership.objects.select_related("user").get(chama=chama_a, member_code="M003")
    assert (member.user.phone, member.receive_phone, member.seat) == (
        "254712345678",
        "254712345678",
        3,
    )
