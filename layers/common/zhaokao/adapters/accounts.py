"""Sign-in accounts in the Cognito user pool; the API's JWT authorizer trusts its tokens."""

from __future__ import annotations

import contextlib
from typing import Any

from ..domain.errors import Unauthenticated
from ..settings import settings
from .clients import client


def create(username: str, password: str, group: str, attributes: dict[str, str]) -> None:
    """An account in one role's group (R15.1), with its unit and season as custom attributes."""
    cognito, pool = client("cognito-idp"), settings().user_pool_id
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": f"custom:{k}", "Value": v} for k, v in attributes.items()],
    )
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=username, Password=password, Permanent=True
    )
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=group)


def create_candidate(username: str, password: str, season_id: str) -> None:
    """The candidate's account: username is the candidate id, so no phone or ID sits in Cognito."""
    create(username, password, "candidate", {"season": season_id})


def delete(username: str) -> None:
    cognito = client("cognito-idp")
    with contextlib.suppress(cognito.exceptions.UserNotFoundException):
        cognito.admin_delete_user(UserPoolId=settings().user_pool_id, Username=username)


def sign_in(username: str, password: str) -> dict[str, Any]:
    cognito = client("cognito-idp")
    try:
        result = cognito.initiate_auth(
            ClientId=settings().user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )["AuthenticationResult"]
    except (cognito.exceptions.NotAuthorizedException, cognito.exceptions.UserNotFoundException):
        raise Unauthenticated("账号或密码错误", "password", code="bad_credentials") from None
    return {
        "id_token": result["IdToken"],
        "access_token": result["AccessToken"],
        "refresh_token": result.get("RefreshToken"),
        "expires_in": result["ExpiresIn"],
        "token_type": "Bearer",
    }
