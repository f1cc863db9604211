import type { ViewProps } from "../ui";
export default function V({ t }: ViewProps) { return <p>{t("common.none")}</p>; }
