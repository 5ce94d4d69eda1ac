package api

func (a *API) incentiveRoutes() []Route { return nil }
