from django.test import Client

from sanzhang.conftest import County


def test_pages_speak_chinese_even_to_an_english_browser(county: County):
    body = Client().get("/board/GC/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "便民公示牌" in body


def test_the_language_switch_gives_english_and_back(county: County):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/board/GC/"})
    assert "Noticeboard" in client.get("/board/GC/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/board/GC/"})
    assert "便民公示牌" in client.get("/board/GC/").content.decode()
