//! The secrets a server needs before it serves: the key that seals secrets at
//! rest, and in sandbox mode an app secret of its own, so the webhook still
//! refuses unsigned posts while the sandbox signs the ones it makes.

use anyhow::Context;

use crate::{
    config::{Secret, Settings},
    secrets::Keys,
    storage::{self, Db, app_secrets, files},
};

/// The sealing keys: `SECRETS_KEY`, or in sandbox mode (where configuration
/// allows it to be unset) one generated once and kept in a 0600 file beside
/// the SQLite database — or, with PostgreSQL, in the database itself.
pub async fn keys(settings: &Settings, db: &Db) -> anyhow::Result<Keys> {
    if let Some(keys) = &settings.secrets_key {
        return Ok(keys.clone());
    }
    let stored = match storage::sqlite_file(&settings.database_url) {
        Some(db_file) => {
            let path = files::with_suffix(&db_file, ".key");
            if !path.exists() {
                files::write_private(&path, &Keys::generate())
                    .with_context(|| format!("could not write {}", path.display()))?;
                tracing::info!(path = %path.display(), "sandbox mode: generated SECRETS_KEY");
            }
            files::make_private(&path)?;
            std::fs::read_to_string(&path)
                .with_context(|| format!("could not read {}", path.display()))?
        }
        None => {
            tracing::warn!(
                "sandbox mode: SECRETS_KEY is unset, so the key is kept in the database it protects; \
                 set SECRETS_KEY before connecting WhatsApp"
            );
            app_secrets::get_or_create(db, "secrets_key", &Keys::generate(), storage::now_ms())
                .await?
        }
    };
    Keys::parse(stored.trim()).map_err(|e| anyhow::anyhow!("the stored SECRETS_KEY: {e}"))
}

/// In sandbox mode without `WHATSAPP_APP_SECRET`, a generated one kept in the
/// database: the sandbox signs with it and unsigned posts are still refused.
pub async fn sandbox_app_secret(settings: &mut Settings, db: &Db) -> anyhow::Result<()> {
    if settings.whatsapp.app_secret.is_some() {
        return Ok(());
    }
    let generated = hex::encode(rand::random::<[u8; 32]>());
    let secret =
        app_secrets::get_or_create(db, "sandbox_app_secret", &generated, storage::now_ms()).await?;
    settings.whatsapp.app_secret = Some(Secret::new(secret));
    Ok(())
}
