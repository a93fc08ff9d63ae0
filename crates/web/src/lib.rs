//! The public portal (政府信息公开专栏), the staff console and the JSON API.
