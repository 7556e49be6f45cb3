-- Brobygger storage, version 40: broad Task searches (GET /fhir/Task: all Tasks, one recipient, one
-- event, one status, newest first) read one page along an index instead of sorting every match.
-- Each kind of Task (delivery Task, inbox item) gets an index per filter that ends in the search's
-- order (time, id), so the two are merged index scans. A message's event is copied onto its Tasks
-- (a message never changes) so the event filter needs no join, which would lose the index order.

ALTER TABLE delivery_task ADD COLUMN event_code VARCHAR(100);
ALTER TABLE inbox_item ADD COLUMN event_code VARCHAR(100);
UPDATE delivery_task t SET event_code = m.event_code FROM message m WHERE m.message_id = t.message_id;
UPDATE inbox_item i SET event_code = m.event_code FROM message m WHERE m.message_id = i.message_id;

-- filled by the database at insert, so that every writer of Tasks stays as it is
CREATE FUNCTION task_event_from_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.event_code := (SELECT m.event_code FROM message m WHERE m.message_id = NEW.message_id);
  RETURN NEW;
END
$$;
CREATE TRIGGER delivery_task_event BEFORE INSERT ON delivery_task
  FOR EACH ROW EXECUTE FUNCTION task_event_from_message();
CREATE TRIGGER inbox_item_event BEFORE INSERT ON inbox_item
  FOR EACH ROW EXECUTE FUNCTION task_event_from_message();

CREATE INDEX delivery_task_event_ix ON delivery_task (event_code, created_at, task_id);
CREATE INDEX inbox_item_event_ix ON inbox_item (event_code, received_at, item_id);
-- an inbox's owner, newest first (inbox_item_owner_ix has the state between owner and time)
CREATE INDEX inbox_item_owner_received_ix ON inbox_item (owner_id, received_at, item_id);
