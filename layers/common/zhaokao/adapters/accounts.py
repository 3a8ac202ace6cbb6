"""Sign-in accounts in the Cognito user pool; the API's JWT authorizer trusts its tokens."""

from __future__ import annotations

import contextlib
from typing import Any

from ..domain.errors import Unauthenticated
from ..settings import settings
from .clients import client


def create_candidate(username: str, password: str, season_id: str) -> None:
    """The candidate's account: username is the candidate id, so no phone or ID sits in Cognito."""
    cognito, pool = client("cognito-idp"), settings().user_pool_id
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "custom:season", "Value": season_id}],
    )
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=username, Password=password, Permanent=True
    )
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName="candidate")


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
