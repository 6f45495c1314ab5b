import "@fontsource-variable/inter/wght.css";
import "./globals.css";
import type { Metadata } from "next";

// Every page depends on who is signed in: nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Assay", template: "%s · Assay" },
  description: "Security and compliance due diligence of vendors and infrastructure providers.",
  robots: { index: false, follow: false },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
