-- AlterTable
ALTER TABLE "evidence_package" ADD COLUMN     "heartbeat_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "evidence_package_sha256_idx" ON "evidence_package"("sha256");

-- Hand-written (Prisma's schema language has no triggers).

-- A signed-off audit's clarification threads are part of the record its evidence package
-- issues: like answers, files, ratings and the verdict, they refuse changes until an admin
-- reopens the audit (SQLSTATE AY002). The application refuses first, under the audit row's
-- lock; this is the backstop. A thread carries audit_id itself and uses the existing function;
-- a message reaches its audit through its thread.
CREATE TRIGGER "clarification_signed_off" BEFORE INSERT OR UPDATE OR DELETE ON "clarification"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_of_signed_off_audit"();

CREATE FUNCTION "refuse_change_of_signed_off_clarification_message"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  row_clarification uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN row_clarification := OLD."clarification_id"; ELSE row_clarification := NEW."clarification_id"; END IF;
  IF EXISTS (
    SELECT 1 FROM "clarification" c JOIN "audit" a ON a."id" = c."audit_id"
     WHERE c."id" = row_clarification AND a."status"::text = 'SIGNED_OFF'
  ) THEN
    RAISE EXCEPTION 'the audit is signed off: % is read-only until an admin reopens it', TG_TABLE_NAME USING ERRCODE = 'AY002';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "clarification_message_signed_off" BEFORE INSERT OR UPDATE OR DELETE ON "clarification_message"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_of_signed_off_clarification_message"();
