"""Start the test OpenID provider: ``python -m tests.oidc_provider.serve DIR PORT``.

DIR holds ``people.json`` (username, email, password, names, groups) and
``client.json`` (client_id, client_secret, redirect_uris); the provider makes its
signing key, database, people and client there, then serves on 127.0.0.1:PORT until it
is terminated.
"""

import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _key(directory: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (directory / "key.pem").write_bytes(pem)


def _populate(directory: Path) -> None:
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    for person in json.loads((directory / "people.json").read_text()):
        user = User.objects.create_user(
            person["username"],
            email=person["email"],
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
        for name in person.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = json.loads((directory / "client.json").read_text())
    Application.objects.create(
        name="Tryggnav",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirect_uris"]),
        post_logout_redirect_uris=" ".join(client.get("post_logout_redirect_uris", [])),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


def main() -> None:
    directory, port = Path(sys.argv[1]), int(sys.argv[2])
    _key(directory)
    os.environ["PROVIDER_DIR"] = str(directory)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    _populate(directory)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
