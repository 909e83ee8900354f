"""Pure rules: plain functions with no flow, no Telegram, no database."""
