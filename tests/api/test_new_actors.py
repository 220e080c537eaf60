"""People read from articles that the data does not know: stored, listed, searchable in their script,
and found again when the article goes on by surname."""

from __future__ import annotations

import pytest

from service.pipeline.transliteration import latin_form
from tests.pipeline.languages import LANGUAGES

# (article, name as written, surname, language): offices the tables know, people they do not.
NEW_PEOPLE = [
    (
        "Ghanaian Trade Minister Kwabena Asante arrived in Abuja on 2 March 2025. "
        "On Monday Asante held talks with Nigerian President Bola Tinubu.",
        "Kwabena Asante",
        "Asante",
        "en",
    ),
    (
        "وصل وزير التجارة الغاني كوابينا أسانتي، إلى أبوجا يوم الأحد 2 مارس 2025. "
        "وأجرى أسانتي محادثات مع الرئيس النيجيري بولا تينوبو يوم الاثنين.",
        "كوابينا أسانتي",
        "أسانتي",
        "ar",
    ),
]


@pytest.mark.parametrize(("text", "name", "surname", "language"), NEW_PEOPLE)
def test_a_new_person_is_stored_listed_searchable_and_found_again_by_surname(
    client, text: str, name: str, surname: str, language: str
) -> None:
    response = client.post("/api/v1/articles", json={"text": text, "published_at": "2025-03-05"})
    assert response.status_code == 201, response.get_json()
    listed = client.get("/api/v1/actors", query_string={"limit": 500}).get_json()["items"]
    new = [a for a in listed if a["origin"] == "extracted"]
    assert len(new) == 1, new
    person = new[0]
    folder = LANGUAGES[language]
    table = folder.transliteration
    display = latin_form(name, table, folder.morphology.article) if table else name
    assert (person["kind"], person["name"], person["names"]) == ("person", display, {language: [name]})
    assert client.get(f"/api/v1/actors/{person['id']}").get_json()["event_count"] == 2

    # Found by the full name, the surname and (for an Arabic name) its Latin display form.
    for q in {name, surname, display, display.split()[-1]}:
        found = client.get("/api/v1/actors", query_string={"q": q}).get_json()["items"]
        assert person["id"] in [a["id"] for a in found], q

    # The second sentence names the person by surname only: its event still has them.
    events = response.get_json()["events"]
    by_surname = [e for e in events if e["type"] == "talks"]
    assert [sorted(a["id"] for a in e["actors"]) for e in by_surname] == [
        sorted(["bola-tinubu", person["id"]])
    ]
    assert surname in by_surname[0]["mentions"][0]["sentence"]
    filtered = client.get("/api/v1/events", query_string={"actor": name}).get_json()["items"]
    assert {e["id"] for e in filtered} == {e["id"] for e in events}
