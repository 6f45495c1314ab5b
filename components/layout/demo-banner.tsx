export function DemoBanner() {
  return (
    <aside aria-label="Demo mode" className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-950">
      <strong>Demo mode.</strong> Sign-in goes through the bundled development identity provider, with demo users. Set{" "}
      <code>OIDC_ISSUER</code>, <code>OIDC_CLIENT_ID</code> and <code>OIDC_CLIENT_SECRET</code> to use your own.
    </aside>
  );
}
