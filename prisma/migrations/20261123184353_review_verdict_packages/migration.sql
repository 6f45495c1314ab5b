-- CreateEnum
CREATE TYPE "answer_rating_value" AS ENUM ('ACCEPTABLE', 'NEEDS_CLARIFICATION', 'NOT_ACCEPTABLE', 'NOT_APPLICABLE');

-- CreateEnum
CREATE TYPE "verdict_value" AS ENUM ('SUITABLE', 'SUITABLE_WITH_CONDITIONS', 'NOT_SUITABLE');

-- CreateEnum
CREATE TYPE "package_state" AS ENUM ('QUEUED', 'RUNNING', 'READY', 'FAILED');

-- AlterEnum
ALTER TYPE "audit_status" ADD VALUE 'SIGNED_OFF';

-- AlterTable
ALTER TABLE "audit" ADD COLUMN     "sign_off_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "signed_off_at" TIMESTAMPTZ(3),
ADD COLUMN     "signed_off_by_id" UUID;

-- CreateTable
CREATE TABLE "answer_rating" (
    "audit_id" UUID NOT NULL,
    "question_id" TEXT NOT NULL,
    "rating" "answer_rating_value" NOT NULL,
    "note" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "rated_by_id" UUID NOT NULL,
    "rated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "answer_rating_pkey" PRIMARY KEY ("audit_id","question_id")
);

-- CreateTable
CREATE TABLE "audit_verdict" (
    "audit_id" UUID NOT NULL,
    "verdict" "verdict_value" NOT NULL,
    "rationale" TEXT NOT NULL,
    "conditions" TEXT[],
    "revision" INTEGER NOT NULL DEFAULT 1,
    "decided_by_id" UUID NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_verdict_pkey" PRIMARY KEY ("audit_id")
);

-- CreateTable
CREATE TABLE "evidence_package" (
    "id" UUID NOT NULL,
    "audit_id" UUID NOT NULL,
    "version" INTEGER,
    "sign_off" INTEGER NOT NULL,
    "include_internal_notes" BOOLEAN NOT NULL DEFAULT false,
    "state" "package_state" NOT NULL DEFAULT 'QUEUED',
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "progress_done" INTEGER NOT NULL DEFAULT 0,
    "progress_total" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "requested_by_id" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issued_at" TIMESTAMPTZ(3),
    "sha256" TEXT,
    "size" BIGINT,
    "manifest" TEXT,
    "signer" JSONB,
    "timestamped" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "evidence_package_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence_package_chunk" (
    "package_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "evidence_package_chunk_pkey" PRIMARY KEY ("package_id","seq")
);

-- CreateTable
CREATE TABLE "package_share" (
    "id" UUID NOT NULL,
    "package_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "package_share_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "evidence_package_audit_id_version_key" ON "evidence_package"("audit_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "evidence_package_audit_id_sign_off_include_internal_notes_key" ON "evidence_package"("audit_id", "sign_off", "include_internal_notes");

-- CreateIndex
CREATE UNIQUE INDEX "package_share_token_hash_key" ON "package_share"("token_hash");

-- CreateIndex
CREATE INDEX "package_share_package_id_idx" ON "package_share"("package_id");

-- AddForeignKey
ALTER TABLE "audit" ADD CONSTRAINT "audit_signed_off_by_id_fkey" FOREIGN KEY ("signed_off_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answer_rating" ADD CONSTRAINT "answer_rating_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answer_rating" ADD CONSTRAINT "answer_rating_rated_by_id_fkey" FOREIGN KEY ("rated_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_verdict" ADD CONSTRAINT "audit_verdict_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_verdict" ADD CONSTRAINT "audit_verdict_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_package" ADD CONSTRAINT "evidence_package_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_package" ADD CONSTRAINT "evidence_package_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_package_chunk" ADD CONSTRAINT "evidence_package_chunk_package_id_fkey" FOREIGN KEY ("package_id") REFERENCES "evidence_package"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "package_share" ADD CONSTRAINT "package_share_package_id_fkey" FOREIGN KEY ("package_id") REFERENCES "evidence_package"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "package_share" ADD CONSTRAINT "package_share_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (Prisma's schema language has no CHECK constraints, triggers or storage settings).

ALTER TABLE "evidence_package_chunk" ALTER COLUMN "data" SET STORAGE EXTERNAL;
ALTER TABLE "audit_verdict" ADD CONSTRAINT "audit_verdict_rationale_given" CHECK (length(btrim("rationale")) > 0);
ALTER TABLE "evidence_package" ADD CONSTRAINT "evidence_package_ready_is_complete"
  CHECK ("state" <> 'READY' OR ("version" IS NOT NULL AND "sha256" IS NOT NULL AND "size" IS NOT NULL AND "issued_at" IS NOT NULL AND "manifest" IS NOT NULL));
ALTER TABLE "audit" ADD CONSTRAINT "audit_signed_off_has_signer"
  CHECK (("status"::text = 'SIGNED_OFF') = ("signed_off_at" IS NOT NULL)); -- ::text: a value added in this transaction cannot be used as an enum yet

-- An issued package is evidence: once READY, neither its row nor its bytes change or go away
-- (SQLSTATE AY001, like the audit trail).
CREATE FUNCTION "refuse_change_of_issued_package"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  pkg_state "package_state";
BEGIN
  IF TG_TABLE_NAME = 'evidence_package' THEN
    pkg_state := OLD."state";
  ELSIF TG_OP = 'DELETE' THEN
    SELECT "state" INTO pkg_state FROM "evidence_package" WHERE "id" = OLD."package_id";
  ELSE
    SELECT "state" INTO pkg_state FROM "evidence_package" WHERE "id" = NEW."package_id";
  END IF;
  IF pkg_state = 'READY' THEN
    RAISE EXCEPTION 'an issued evidence package is immutable: issue a new version' USING ERRCODE = 'AY001';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "evidence_package_immutable"
  BEFORE UPDATE OR DELETE ON "evidence_package"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_of_issued_package"();

CREATE TRIGGER "evidence_package_chunk_immutable"
  BEFORE INSERT OR UPDATE OR DELETE ON "evidence_package_chunk"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_of_issued_package"();

-- A signed-off audit is read-only: answers, attachments, ratings and the verdict refuse changes
-- (SQLSTATE AY002). The application checks first and says so clearly; this is the backstop for
-- any path that forgets. Concurrent sign-off and save are ordered by the audit row's lock, which
-- both take (the save through its audit.updated_at touch).
CREATE FUNCTION "refuse_change_of_signed_off_audit"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  row_audit uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN row_audit := OLD."audit_id"; ELSE row_audit := NEW."audit_id"; END IF;
  IF EXISTS (SELECT 1 FROM "audit" WHERE "id" = row_audit AND "status"::text = 'SIGNED_OFF') THEN
    RAISE EXCEPTION 'the audit is signed off: % is read-only until an admin reopens it', TG_TABLE_NAME USING ERRCODE = 'AY002';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "answer_signed_off" BEFORE INSERT OR UPDATE OR DELETE ON "answer"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_of_signed_off_audit"();
CREATE TRIGGER "attachment_signed_off" BEFORE INSERT OR UPDATE OR DELETE ON "attachment"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_of_signed_off_audit"();
CREATE TRIGGER "answer_rating_signed_off" BEFORE INSERT OR UPDATE OR DELETE ON "answer_rating"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_of_signed_off_audit"();
CREATE TRIGGER "audit_verdict_signed_off" BEFORE INSERT OR UPDATE OR DELETE ON "audit_verdict"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_of_signed_off_audit"();
