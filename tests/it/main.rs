//! Integration tests: the real app over loopback HTTP, fake Graph and LLM
//! APIs, and real databases (SQLite always, PostgreSQL when TEST_DATABASE_URL
//! is set).

mod fake_graph;
mod fake_llm;
mod helpers;
mod receiver;

mod api;
mod catalog;
mod confirm;
mod conversation;
mod counts;
mod crash;
mod dashboard;
mod dashboard_pages;
mod delivery;
mod event_contract;
mod events;
mod events_feed;
mod fuzz;
mod hostile;
mod llm;
mod locations;
mod notify;
mod opening;
mod parser_corpus;
mod previous_release;
mod purchasing;
mod purchasing_api;
mod security;
mod security_data;
mod security_limits;
mod selling;
mod selling_stock;
mod soak;
mod social;
mod startup;
mod stock;
mod storage_contract;
mod whatsapp_inbound;
