-- CreateEnum
CREATE TYPE "role" AS ENUM ('OFFICER', 'REVIEWER', 'ADMIN');

-- CreateEnum
CREATE TYPE "member_role" AS ENUM ('OWNER', 'OFFICER', 'REVIEWER');

-- CreateEnum
CREATE TYPE "audit_status" AS ENUM ('IN_PROGRESS');

-- CreateTable
CREATE TABLE "user" (
    "id" UUID NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "email" TEXT,
    "name" TEXT,
    "roles" "role"[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_sign_in_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "questionnaire_version" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "source_file" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "questionnaire_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit" (
    "id" UUID NOT NULL,
    "provider_name" TEXT NOT NULL,
    "provider_contact_name" TEXT,
    "provider_contact_email" TEXT,
    "questionnaire_version_id" UUID NOT NULL,
    "scope" JSONB NOT NULL,
    "status" "audit_status" NOT NULL DEFAULT 'IN_PROGRESS',
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_member" (
    "audit_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "member_role" NOT NULL,
    "added_by_id" UUID,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_member_pkey" PRIMARY KEY ("audit_id","user_id")
);

-- CreateTable
CREATE TABLE "answer" (
    "id" UUID NOT NULL,
    "audit_id" UUID NOT NULL,
    "question_id" TEXT NOT NULL,
    "value" JSONB,
    "note" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updated_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "answer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "audit_id" UUID,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "subject" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "user_email_idx" ON "user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "user_issuer_subject_key" ON "user"("issuer", "subject");

-- CreateIndex
CREATE UNIQUE INDEX "questionnaire_version_slug_version_key" ON "questionnaire_version"("slug", "version");

-- CreateIndex
CREATE INDEX "audit_created_at_idx" ON "audit"("created_at");

-- CreateIndex
CREATE INDEX "audit_member_user_id_idx" ON "audit_member"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "answer_audit_id_question_id_key" ON "answer"("audit_id", "question_id");

-- CreateIndex
CREATE INDEX "audit_event_audit_id_id_idx" ON "audit_event"("audit_id", "id");

-- AddForeignKey
ALTER TABLE "audit" ADD CONSTRAINT "audit_questionnaire_version_id_fkey" FOREIGN KEY ("questionnaire_version_id") REFERENCES "questionnaire_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit" ADD CONSTRAINT "audit_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_member" ADD CONSTRAINT "audit_member_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_member" ADD CONSTRAINT "audit_member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_member" ADD CONSTRAINT "audit_member_added_by_id_fkey" FOREIGN KEY ("added_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answer" ADD CONSTRAINT "answer_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answer" ADD CONSTRAINT "answer_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Immutable rows (hand-written; Prisma's schema language has no triggers, so the schema diff
-- neither sees nor drops them). A published questionnaire version is referenced by the audits
-- created with it, and the audit trail is evidence: neither is ever updated or deleted. The error
-- carries SQLSTATE AY001 so the application can tell it apart. TRUNCATE is not covered: tests
-- reset tables with it.
CREATE FUNCTION "refuse_change_of_immutable_row"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable: %', TG_TABLE_NAME, TG_ARGV[0]
    USING ERRCODE = 'AY001';
END;
$$;

CREATE TRIGGER "questionnaire_version_immutable"
  BEFORE UPDATE OR DELETE ON "questionnaire_version"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_of_immutable_row"('publish a new version');

CREATE TRIGGER "audit_event_immutable"
  BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_of_immutable_row"('the audit trail is append-only');
