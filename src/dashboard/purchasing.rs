//! The Stock page's Reorder button: a purchase order to the item's supplier
//! (with their other low items not on order), sent at once.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{DashboardState, Owner};
use crate::error::AppError;

#[derive(Deserialize)]
pub struct ReorderForm {
    csrf: String,
}

pub async fn reorder(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ReorderForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let actor = format!("owner:{}", owner.phone);
    let po = s.shop.reorder_item(id, &actor).await?;
    let to = format!("/inventory?ordered={}", po.reference);
    Ok(Redirect::to(&to).into_response())
}
