package api

func (a *API) auditRoutes() []Route { return nil }
