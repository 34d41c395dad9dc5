"""A bank's staff cannot register a complaint as transferred by the office."""


def test_teller_posting_regulator_transfer_is_refused(api, county, intake_json):
    response = api(county.a_teller).post(
        "/api/v1/complaints/", intake_json(intake_source="regulator"), format="json"
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["intake_source"])
