/** An unknown invite link: the same text for a mistyped link and one that never existed. */
export function InviteNotFound() {
  return (
    <div className="mx-auto max-w-lg space-y-3 py-8 text-center">
      <h1 className="text-xl font-semibold">This link does not work</h1>
      <p className="text-muted-foreground">
        Check that you opened the whole link from your e-mail. If it still does not work, ask the person who invited you for a new one.
      </p>
    </div>
  );
}
