import { formatDateTime } from "@/lib/format";

// The screens of a share link that does not open a package, mirroring the invite links'
// (components/invites/invite-*.tsx): an unknown link says nothing; a revoked one names nobody
// (it may be in the wrong hands); an expired one names who shared it, so that the holder knows
// whom to ask.

/** An unknown link: the same text for a mistyped link and one that never existed. */
export function ShareNotFound() {
  return (
    <div className="mx-auto max-w-lg space-y-3 py-8 text-center">
      <h1 className="text-xl font-semibold">This link does not work</h1>
      <p className="text-muted-foreground">
        Check that you opened the whole link you were sent. If it still does not work, ask the person who shared the package with you for a new one.
      </p>
    </div>
  );
}

/** A withdrawn link: nothing about the package or who shared it. */
export function ShareRevoked() {
  return (
    <div className="mx-auto max-w-lg space-y-3 py-8 text-center">
      <h1 className="text-xl font-semibold">This link no longer works</h1>
      <p>It was withdrawn by the organisation that shared it.</p>
      <p className="text-muted-foreground">If you received a newer link, use that one. Otherwise, contact the person who shared the package with you.</p>
    </div>
  );
}

/** An expired link: when it expired, and whom to ask for a new one. */
export function ShareExpired({ expiresAt, sharedBy }: { expiresAt: Date; sharedBy: { name: string | null; email: string | null } }) {
  return (
    <div className="mx-auto max-w-lg space-y-3 py-8 text-center">
      <h1 className="text-xl font-semibold">This link has expired</h1>
      <p>
        This download link expired on <time dateTime={expiresAt.toISOString()}>{formatDateTime(expiresAt)}</time>.
      </p>
      <p className="text-muted-foreground">
        {sharedBy.name || sharedBy.email ? (
          <>
            Ask {sharedBy.name ?? ""}
            {sharedBy.email && (
              <>
                {sharedBy.name ? " (" : ""}
                <a className="text-primary underline" href={`mailto:${sharedBy.email}`}>
                  {sharedBy.email}
                </a>
                {sharedBy.name ? ")" : ""}
              </>
            )}{" "}
            for a new link.
          </>
        ) : (
          "Ask the person who shared the package with you for a new link."
        )}
      </p>
    </div>
  );
}
