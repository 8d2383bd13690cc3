import type { Me } from "@jiuye/contracts";
import { createContext, useCallback, useContext, useEffect, useState } from "react";
import { api, setCsrfToken, setUnauthorizedHandler } from "../api/client";

interface AuthState {
  me: Me | null;
  loading: boolean;
  refresh: () => Promise<void>;
  signedIn: (me: Me) => void;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: React.ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const signedIn = useCallback((m: Me) => {
    setCsrfToken(m.csrfToken);
    setMe(m);
  }, []);
  const refresh = useCallback(async () => {
    try {
      signedIn(await api<Me>("GET", "/me"));
    } catch {
      setMe(null);
    } finally {
      setLoading(false);
    }
  }, [signedIn]);
  const logout = useCallback(async () => {
    try {
      await api("POST", "/auth/logout");
    } finally {
      setMe(null);
    }
  }, []);
  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    void refresh();
  }, [refresh]);
  return <AuthContext.Provider value={{ me, loading, refresh, signedIn, logout }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}
