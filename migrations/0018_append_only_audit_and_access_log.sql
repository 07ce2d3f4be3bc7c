-- The audit trail, its seals and the access log are append-only, and the database itself says so
-- (security.md §4): these triggers refuse UPDATE, DELETE and TRUNCATE from every user, the
-- service's own included. They are ENABLE ALWAYS, so that session_replication_role = replica does
-- not switch them off either; only ALTER TABLE … DISABLE TRIGGER by the table's owner or a
-- superuser does, and the sealed hash chain (npm run verify-audit) then shows what was changed.
CREATE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint

-- The access log is kept ACCESS_LOG_RETENTION_DAYS (at least 183): the purge may delete rows older
-- than 183 days, and nothing may delete a younger one or change any.
CREATE FUNCTION keep_access_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.at < now() - interval '183 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'access_log keeps its rows at least 183 days and never changes one: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER audit_seal_runs_append_only BEFORE UPDATE OR DELETE ON audit_seal_runs FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER audit_seal_runs_no_truncate BEFORE TRUNCATE ON audit_seal_runs FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER access_log_kept BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION keep_access_log();--> statement-breakpoint
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_append_only;--> statement-breakpoint
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_truncate;--> statement-breakpoint
ALTER TABLE audit_seals ENABLE ALWAYS TRIGGER audit_seals_append_only;--> statement-breakpoint
ALTER TABLE audit_seals ENABLE ALWAYS TRIGGER audit_seals_no_truncate;--> statement-breakpoint
ALTER TABLE audit_seal_runs ENABLE ALWAYS TRIGGER audit_seal_runs_append_only;--> statement-breakpoint
ALTER TABLE audit_seal_runs ENABLE ALWAYS TRIGGER audit_seal_runs_no_truncate;--> statement-breakpoint
ALTER TABLE access_log ENABLE ALWAYS TRIGGER access_log_kept;--> statement-breakpoint
ALTER TABLE access_log ENABLE ALWAYS TRIGGER access_log_no_truncate;
