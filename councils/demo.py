"""The council's part of the demo (filled in below)."""


def load_councils_demo(communities, users) -> None:
    return None
