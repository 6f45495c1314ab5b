-- CreateEnum
CREATE TYPE "clarification_status" AS ENUM ('OPEN', 'ANSWERED', 'RESOLVED');

-- AlterTable
ALTER TABLE "answer" ADD COLUMN     "updated_by_invite_id" UUID;

-- AlterTable
ALTER TABLE "audit_event" ADD COLUMN     "invite_id" UUID;

-- CreateTable
CREATE TABLE "invite" (
    "id" UUID NOT NULL,
    "audit_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "sections" TEXT[],
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "submitted_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attachment" (
    "id" UUID NOT NULL,
    "audit_id" UUID NOT NULL,
    "question_id" TEXT,
    "evidence_item_id" TEXT,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploaded_by_id" UUID,
    "uploaded_by_invite_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "certificate_issuer" TEXT,
    "certificate_scope" TEXT,
    "certificate_expires_on" DATE,

    CONSTRAINT "attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attachment_chunk" (
    "attachment_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "attachment_chunk_pkey" PRIMARY KEY ("attachment_id","seq")
);

-- CreateTable
CREATE TABLE "clarification" (
    "id" UUID NOT NULL,
    "audit_id" UUID NOT NULL,
    "question_id" TEXT NOT NULL,
    "status" "clarification_status" NOT NULL DEFAULT 'OPEN',
    "due_on" DATE,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clarification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clarification_message" (
    "id" UUID NOT NULL,
    "clarification_id" UUID NOT NULL,
    "internal" BOOLEAN NOT NULL DEFAULT false,
    "body" TEXT NOT NULL,
    "author_id" UUID,
    "author_invite_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clarification_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "audit_id" UUID,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "invite_token_hash_key" ON "invite"("token_hash");

-- CreateIndex
CREATE INDEX "invite_audit_id_idx" ON "invite"("audit_id");

-- CreateIndex
CREATE INDEX "attachment_audit_id_idx" ON "attachment"("audit_id");

-- CreateIndex
CREATE INDEX "clarification_audit_id_status_idx" ON "clarification"("audit_id", "status");

-- CreateIndex
CREATE INDEX "clarification_message_clarification_id_created_at_idx" ON "clarification_message"("clarification_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_user_id_read_at_idx" ON "notification"("user_id", "read_at");

-- AddForeignKey
ALTER TABLE "answer" ADD CONSTRAINT "answer_updated_by_invite_id_fkey" FOREIGN KEY ("updated_by_invite_id") REFERENCES "invite"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_invite_id_fkey" FOREIGN KEY ("invite_id") REFERENCES "invite"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invite" ADD CONSTRAINT "invite_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invite" ADD CONSTRAINT "invite_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_uploaded_by_id_fkey" FOREIGN KEY ("uploaded_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_uploaded_by_invite_id_fkey" FOREIGN KEY ("uploaded_by_invite_id") REFERENCES "invite"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachment_chunk" ADD CONSTRAINT "attachment_chunk_attachment_id_fkey" FOREIGN KEY ("attachment_id") REFERENCES "attachment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clarification" ADD CONSTRAINT "clarification_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clarification" ADD CONSTRAINT "clarification_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clarification_message" ADD CONSTRAINT "clarification_message_clarification_id_fkey" FOREIGN KEY ("clarification_id") REFERENCES "clarification"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clarification_message" ADD CONSTRAINT "clarification_message_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clarification_message" ADD CONSTRAINT "clarification_message_author_invite_id_fkey" FOREIGN KEY ("author_invite_id") REFERENCES "invite"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification" ADD CONSTRAINT "notification_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification" ADD CONSTRAINT "notification_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma's schema language has no CHECK constraints or storage settings).
-- Exactly one author of a saved answer, an event's actor, an upload, a message: a user or an invite.
ALTER TABLE "answer" ADD CONSTRAINT "answer_one_author" CHECK ("updated_by_id" IS NULL OR "updated_by_invite_id" IS NULL);
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_one_actor" CHECK ("actor_id" IS NULL OR "invite_id" IS NULL);
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_one_uploader" CHECK (("uploaded_by_id" IS NULL) <> ("uploaded_by_invite_id" IS NULL));
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_has_target" CHECK ("question_id" IS NOT NULL OR "evidence_item_id" IS NOT NULL);
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_size_positive" CHECK ("size" > 0);
ALTER TABLE "clarification_message" ADD CONSTRAINT "clarification_message_one_author" CHECK (("author_id" IS NULL) <> ("author_invite_id" IS NULL));
-- Internal notes are for officers and reviewers: a provider can never write one.
ALTER TABLE "clarification_message" ADD CONSTRAINT "clarification_message_internal_by_user" CHECK (NOT "internal" OR "author_invite_id" IS NULL);
-- Evidence files are mostly compressed already (PDF, images, ZIP): don't spend CPU on TOAST compression.
ALTER TABLE "attachment_chunk" ALTER COLUMN "data" SET STORAGE EXTERNAL;
