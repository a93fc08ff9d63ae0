-- The annual report's tallies (store::tally): a case's receipt and closing events are found by
-- kind for each application, and a year's appeals by organ and filing date, without scanning
-- every ledger row.
CREATE INDEX case_events_event_application ON case_events (event, application_id, date);
CREATE INDEX appeals_organ_filed ON appeals (organ_id, filed);
