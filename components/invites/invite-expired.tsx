import { formatDateTime } from "@/lib/format";

/** An expired invite link: when it expired, and whom to ask for a new one. */
export function InviteExpired({ expiresAt, invitedBy }: { expiresAt: Date; invitedBy: { name: string | null; email: string | null } }) {
  const who = invitedBy.name ?? invitedBy.email;
  return (
    <div className="mx-auto max-w-lg space-y-3 py-8 text-center">
      <h1 className="text-xl font-semibold">This link has expired</h1>
      <p>
        This link expired on <time dateTime={expiresAt.toISOString()}>{formatDateTime(expiresAt)}</time>.
      </p>
      <p className="text-muted-foreground">
        {who ? (
          <>
            Ask {invitedBy.name ?? ""}
            {invitedBy.email && (
              <>
                {invitedBy.name ? " (" : ""}
                <a className="text-primary underline" href={`mailto:${invitedBy.email}`}>
                  {invitedBy.email}
                </a>
                {invitedBy.name ? ")" : ""}
              </>
            )}{" "}
            for a new link. Answers you saved are kept.
          </>
        ) : (
          "Ask the person who invited you for a new link. Answers you saved are kept."
        )}
      </p>
    </div>
  );
}
