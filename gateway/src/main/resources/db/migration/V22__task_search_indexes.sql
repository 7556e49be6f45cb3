-- Brobygger storage, version 22: an index for each way an operator finds Tasks (GET /fhir/Task):
-- by citizen identifier, recipient or inbox owner, status, event, time and message id, newest first.
-- (By message id: delivery_task_message_ix and inbox_item_message_uq exist already.)
CREATE INDEX message_citizen_citizen_ix ON message_citizen (citizen_value, citizen_system);
CREATE INDEX delivery_task_created_ix ON delivery_task (created_at, task_id);
CREATE INDEX delivery_task_recipient_ix ON delivery_task (recipient_id, created_at, task_id);
CREATE INDEX delivery_task_state_ix ON delivery_task (state, created_at, task_id);
CREATE INDEX delivery_task_modified_ix ON delivery_task (last_modified);
CREATE INDEX message_event_ix ON message (event_code, received_at);
CREATE INDEX inbox_item_received_ix ON inbox_item (received_at, item_id);
CREATE INDEX inbox_item_state_ix ON inbox_item (state, received_at, item_id);
