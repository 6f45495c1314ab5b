/**
 * A revoked invite link. It says nothing about the audit or who sent it: a link is usually
 * revoked because it went to the wrong person.
 */
export function InviteRevoked() {
  return (
    <div className="mx-auto max-w-lg space-y-3 py-8 text-center">
      <h1 className="text-xl font-semibold">This link no longer works</h1>
      <p>It was withdrawn by the organisation that sent it.</p>
      <p className="text-muted-foreground">If you received a newer link, use that one. Otherwise, contact the person who invited you.</p>
    </div>
  );
}
