//! `/api/v1/counts`: stock counts staff ran over chat, with their variances.

use axum::{Json, extract::State};

use super::{
    ApiState,
    auth::Reader,
    extract::{Page, Paged, Params},
};
use crate::{error::AppError, ops::counts::CountView};

#[utoipa::path(get, path = "/api/v1/counts", tag = "stock", params(Page),
    responses((status = 200, body = Paged<CountView>), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 429, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// Stock counts, newest first, each with its lines and variances.
pub async fn list(
    _: Reader,
    State(s): State<ApiState>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<CountView>>, AppError> {
    let (limit, offset) = page.resolve()?;
    // One more than asked tells whether there is a next page.
    let rows = crate::ops::counts::recent(&s.shop.db, limit + 1, offset).await?;
    Ok(Json(Paged::from_rows(rows, limit, offset, |c| c)))
}
