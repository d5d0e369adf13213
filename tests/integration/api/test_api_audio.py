"""/api/audio: a word or its example spoken, for a signed-in caller or a signed link."""

import time
from urllib.parse import parse_qs, urlsplit

from learn_app.services.content import speech

SIGN_IN = {"detail": "Please sign in.", "field": None}


def test_a_learner_hears_a_published_word(client, learner, content):
    response = client.get(f"/api/audio/{content.words['猫']}", headers=learner.headers)

    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert response.content[:4] == b"RIFF" and response.content[8:12] == b"WAVE"
    assert len(response.content) > 5_000
    assert response.headers["cache-control"] == "private, max-age=3600"


def test_the_example_sentence_is_longer_than_the_word(client, learner, content):
    word = client.get(f"/api/audio/{content.words['猫']}", headers=learner.headers)
    example = client.get(
        f"/api/audio/{content.words['猫']}", params={"part": "example"}, headers=learner.headers
    )

    assert example.status_code == 200
    assert len(example.content) > len(word.content)


def test_asking_again_with_the_etag_gets_not_modified(client, learner, content):
    first = client.get(f"/api/audio/{content.words['pan']}", headers=learner.headers)

    again = client.get(
        f"/api/audio/{content.words['pan']}",
        headers={**learner.headers, "If-None-Match": first.headers["etag"]},
    )

    assert again.status_code == 304
    assert again.content == b""


def test_a_word_without_an_example_has_no_example_audio(client, learner, content):
    response = client.get(
        f"/api/audio/{content.words['犬']}", params={"part": "example"}, headers=learner.headers
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "That word has no example sentence.", "field": None}


def test_an_unknown_word_is_not_found(client, learner, content):
    response = client.get("/api/audio/999999", headers=learner.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "That word does not exist.", "field": None}


def test_a_draft_word_is_not_found_for_a_learner_but_heard_by_a_teacher(
    client, learner, teacher, content
):
    path = f"/api/audio/{content.words['鳥']}"

    assert client.get(path, headers=learner.headers).status_code == 404
    assert client.get(path, headers=teacher.headers).status_code == 200


def test_an_unknown_part_is_refused(client, learner, content):
    response = client.get(
        f"/api/audio/{content.words['猫']}", params={"part": "meaning"}, headers=learner.headers
    )

    assert response.status_code == 422
    assert response.json()["field"] == "part"


def test_audio_needs_a_sign_in(client, content):
    response = client.get(f"/api/audio/{content.words['猫']}")

    assert response.status_code == 401
    assert response.json() == SIGN_IN


def test_a_signed_link_plays_without_a_header(client, learner, content):
    link = client.get(
        f"/api/audio/{content.words['猫']}/link",
        params={"part": "example"},
        headers=learner.headers,
    )
    assert link.status_code == 200
    assert link.json()["expires_at"] > time.time() + 9 * 60
    assert learner.token not in link.json()["url"]

    response = client.get(link.json()["url"])

    assert response.status_code == 200
    assert response.content[:4] == b"RIFF"


def test_a_signed_link_is_for_one_word_and_part_only(client, learner, content):
    link = client.get(f"/api/audio/{content.words['猫']}/link", headers=learner.headers)
    query = parse_qs(urlsplit(link.json()["url"]).query)
    params = {key: values[0] for key, values in query.items()}

    other_word = client.get(f"/api/audio/{content.words['犬']}", params=params)
    other_part = client.get(
        f"/api/audio/{content.words['猫']}", params={**params, "part": "example"}
    )
    forged = client.get(f"/api/audio/{content.words['猫']}", params={**params, "sig": "x" * 43})

    for response in (other_word, other_part, forged):
        assert response.status_code == 401
        assert response.json()["detail"] == "This audio link is not valid."


def test_an_expired_link_is_refused(client, learner, content):
    link = client.get(f"/api/audio/{content.words['猫']}/link", headers=learner.headers)
    sign_in = parse_qs(urlsplit(link.json()["url"]).query)["s"][0]
    old = speech.audio_link(
        content.words["猫"], "term", learner.id, sign_in=sign_in, now=time.time() - 3600
    )

    response = client.get(old.url)

    assert response.status_code == 401
    assert response.json()["detail"] == "This audio link has expired. Please reload the page."


def test_a_link_stops_working_when_its_sign_in_ends(client, learner, content):
    link = client.get(f"/api/audio/{content.words['猫']}/link", headers=learner.headers).json()
    assert client.get(link["url"]).status_code == 200

    signed_out = client.post("/api/auth/logout", headers=learner.headers)

    assert signed_out.status_code == 204
    refused = client.get(link["url"])
    assert refused.status_code == 401
    assert refused.json()["detail"] == "This audio link is not valid. Please sign in again."


def test_a_link_cannot_be_moved_to_another_sign_in(client, learner, new_token, content):
    link = client.get(f"/api/audio/{content.words['猫']}/link", headers=learner.headers).json()
    other = {"Authorization": f"Bearer {new_token(learner.email)}"}
    other_link = client.get(f"/api/audio/{content.words['猫']}/link", headers=other).json()
    params = {k: v[0] for k, v in parse_qs(urlsplit(link["url"]).query).items()}
    moved = {**params, "s": parse_qs(urlsplit(other_link["url"]).query)["s"][0]}

    response = client.get(f"/api/audio/{content.words['猫']}", params=moved)

    assert response.status_code == 401


def test_a_link_to_a_draft_is_not_given_to_a_learner(client, learner, content):
    response = client.get(f"/api/audio/{content.words['鳥']}/link", headers=learner.headers)

    assert response.status_code == 404
