"""``vigil serve --get`` (one in-process API request), ``vigil user ...`` and ``vigil token ...``."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from ..serve.auth import (
    ROLES,
    Principal,
    add_user,
    create_token,
    list_tokens,
    list_users,
    remove_user,
    revoke_token,
    set_password,
)
from ..serve.inprocess import request
from ..store import open_store
from . import cli
from .options import db_option


@cli.command("serve")
@click.option("--get", "path", required=True, metavar="PATH", help="Run one GET request, e.g. /api/health.")
@click.option("--token", envvar="VIGIL_TOKEN", default=None, help="API token to send (env VIGIL_TOKEN).")
@click.option("--as", "as_user", default=None, metavar="USER",
              help="Act as this user (you hold the database file, so no password is asked).")
@db_option
def serve_cmd(path: str, token: str | None, as_user: str | None, db: str) -> None:
    """Run one API request in-process and print the answer; exit 1 unless it succeeded.

    For scripts and checks without starting a server (`vigil run` serves the same API over HTTP).

    \b
    Example:
      vigil serve --get /api/health
      vigil serve --get "/api/messages?signal=plea&limit=5" --as amal
    """
    if not path.startswith("/"):
        raise click.UsageError("PATH must start with /, e.g. /api/health")
    user = None
    if as_user is not None:
        with open_store(db) as store:
            found = [u for u in list_users(store) if u.username == as_user]
        if not found:
            raise click.UsageError(f"no user {as_user!r} (see `vigil user list`)")
        user = Principal(found[0].username, found[0].role, "local")
    answer = request(db, path, token=token, user=user)
    sys.stdout.buffer.write(answer.body)
    if not answer.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    sys.stdout.flush()
    if not answer.ok:
        sys.exit(1)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@cli.group("user")
def user_group() -> None:
    """Dashboard and API users (roles: viewer, analyst, admin).

    \b
    Example:
      vigil user add amal --role analyst
      vigil user list
    """


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True,
              help="viewer: aggregates, messages, sitreps; analyst: also silence and watch-list; admin: everything.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@db_option
def user_add(username: str, role: str, password_stdin: bool, db: str) -> None:
    """Add a user; the password is asked twice (or read from stdin) and stored as an argon2id hash.

    \b
    Example:
      vigil user add amal --role analyst
      echo "$PASSWORD" | vigil user add ops --role admin --password-stdin
    """
    password = _password(password_stdin)
    with open_store(db) as store:
        user = add_user(store, username, password, role=role)
    click.echo(f"added {user.username} ({user.role})")


@user_group.command("list")
@db_option
def user_list(db: str) -> None:
    """List users and their roles.

    \b
    Example:
      vigil user list
    """
    with open_store(db) as store:
        users = list_users(store)
    table = Table("user", "role", "created", "disabled")
    for u in users:
        table.add_row(u.username, u.role, u.created_at, "yes" if u.disabled else "")
    Console().print(table)


@user_group.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
@db_option
def user_passwd(username: str, password_stdin: bool, db: str) -> None:
    """Change a user's password (their dashboard sessions end).

    \b
    Example:
      vigil user passwd amal
    """
    password = _password(password_stdin)
    with open_store(db) as store:
        set_password(store, username, password)
    click.echo(f"password of {username} changed")


@user_group.command("remove")
@click.argument("username")
@db_option
def user_remove(username: str, db: str) -> None:
    """Remove a user with their sessions and tokens.

    \b
    Example:
      vigil user remove amal
    """
    with open_store(db) as store:
        remove_user(store, username)
    click.echo(f"removed {username}")


@cli.group("token")
def token_group() -> None:
    """API bearer tokens (stored hashed; the secret is shown once).

    \b
    Example:
      vigil token create amal --name "field laptop"
      curl -H "Authorization: Bearer vgl_..." http://127.0.0.1:8000/api/messages
    """


@token_group.command("create")
@click.argument("username")
@click.option("--name", default="api", show_default=True, help="What the token is for.")
@db_option
def token_create(username: str, name: str, db: str) -> None:
    """Create a token for USERNAME (it carries the user's role) and print its secret once.

    \b
    Example:
      vigil token create amal --name "field laptop"
    """
    with open_store(db) as store:
        secret = create_token(store, username, name)
    click.echo(secret)
    click.echo("store it now: it is not shown again (only its hash is kept)", err=True)


@token_group.command("list")
@db_option
def token_list(db: str) -> None:
    """List tokens (never their secrets).

    \b
    Example:
      vigil token list
    """
    with open_store(db) as store:
        tokens = list_tokens(store)
    table = Table("id", "user", "name", "starts with", "created", "revoked")
    for t in tokens:
        table.add_row(str(t.token_id), t.username, t.name, t.prefix + "…", t.created_at, "yes" if t.revoked else "")
    Console().print(table)


@token_group.command("revoke")
@click.argument("token_id", type=int)
@db_option
def token_revoke(token_id: int, db: str) -> None:
    """Revoke a token by id (see `vigil token list`).

    \b
    Example:
      vigil token revoke 3
    """
    with open_store(db) as store:
        revoke_token(store, token_id)
    click.echo(f"revoked token {token_id}")
