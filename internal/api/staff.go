package api

func (a *API) staffRoutes() []Route { return nil }
